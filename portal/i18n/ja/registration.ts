import type { registration as en } from '../en/registration.ts';

export const registration = {} satisfies typeof en;
