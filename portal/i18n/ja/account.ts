import type { account as en } from '../en/account.ts';

export const account = {} satisfies typeof en;
