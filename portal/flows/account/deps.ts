import type { PortalConfig } from '../../portal-config.ts';
import type { Db } from '../../store/schema.ts';

/** What the account flows need (a subset of PortalDeps, so the worker can call them too). */
export interface AccountDeps {
  config: Pick<PortalConfig, 'mail' | 'passwordLinkHours' | 'passwordValidityDays' | 'publicOrigin'>;
  db: Db;
  now: () => Date;
}

/** The signed-in user as My page shows it (views take it from here, never from the store). */
export type { AccountUser } from '../../store/accounts.ts';
