import type { PortalConfig } from '../portal-config.ts';
import type { Db } from '../store/schema.ts';

/** What every route plugin is given: shared services are passed in, not imported globally. */
export interface PortalDeps {
  config: PortalConfig;
  db: Db;
  now: () => Date;
}
