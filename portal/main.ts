// The portal: `npm run portal` (and `npm start`, which also starts the client software and mail catcher).
import { ConfigError } from './config.ts';
import { Housekeeping } from './flows/housekeeping.ts';
import { startOutboxWorker } from './mail/start-worker.ts';
import { loadStartConfig } from './portal-config.ts';
import { openDatabase } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { buildApp } from './web/app.ts';

let config: ReturnType<typeof loadStartConfig>;
try {
  config = loadStartConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

const database = await openDatabase(config.databaseUrl, config.dataDir, config.databasePoolSize);
await migrate(database.db, (line) => console.log(line));
const app = await buildApp({ config, db: database.db, now: () => new Date() });

// Expired sessions, drafts, card sessions and links, old rows, password reminders: one timer.
const housekeeping = new Housekeeping({ db: database.db, log: app.log }).start();
// Delivers the outbox from this process unless OUTBOX_WORKER=off (then run `npm run worker`).
const outboxWorker = startOutboxWorker(database.db, config);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing requests in flight');
  const force = setTimeout(() => {
    app.log.error('requests did not finish within 15 s; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  await app.close();
  await outboxWorker?.stop();
  await housekeeping.stop();
  await database.close();
  app.log.info('stopped');
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
console.log(
  `portal: ${config.publicOrigin} (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'})`,
);
