import type { PortalConfig } from '../../portal-config.ts';
import type { Db } from '../../store/schema.ts';

/** What the account flows need (a subset of PortalDeps, so the worker can call them too). */
export interface AccountDeps {
  config: Pick<PortalConfig, 'mail' | 'passwordLinkHours' | 'passwordValidityDays' | 'publicOrigin'>;
  db: Db;
  now: () => Date;
}
