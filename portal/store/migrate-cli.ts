// `npm run migrate`: applies pending migrations to the configured database and exits.
import { ConfigError } from '../../config/env.ts';
import { loadPortalConfig } from '../portal-config.ts';
import { openDatabase } from './db.ts';
import { migrate } from './migrate.ts';

try {
  const config = loadPortalConfig();
  const handle = await openDatabase(config.databaseUrl, config.dataDir);
  const applied = await migrate(handle.db, (l) => console.log(l));
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  await handle.close();
} catch (err) {
  console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err);
  process.exitCode = 1;
}
