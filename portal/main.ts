// The portal: `npm run portal` (and `npm start`, which also starts the client software and mail catcher).
import path from 'node:path';
import { ConfigError } from '../config/env.ts';
import { Housekeeping } from './flows/housekeeping.ts';
import { startOutboxWorker } from './mail/start-worker.ts';
import { startMetricsServer, watchDatabase } from './metrics.ts';
import { loadStartConfig } from './portal-config.ts';
import { type DatabaseHandle, openDatabase } from './store/db.ts';
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

let database: DatabaseHandle;
try {
  database = await openDatabase(config.databaseUrl, config.dataDir, config.databasePoolSize);
} catch (err) {
  if (config.databaseUrl) throw err;
  // PGlite could not open its files: say which directory and what to do, not a WASM stack trace.
  const where = path.join(config.dataDir, 'pglite');
  console.error(
    `database: the embedded database in ${where} cannot be opened (${(err as Error).message}).\n` +
      'The data directory may be damaged (for example by a crash while it was being written).\n' +
      `Keep a copy of ${where} before anything else; then restore it from a backup, or move it aside to start with an empty database.`,
  );
  process.exit(2);
}
await migrate(database.db, (line) => console.log(line));
const app = await buildApp({ config, db: database.db, now: () => new Date() });
watchDatabase(database.db, database.pool);
const metrics = config.metrics.port
  ? await startMetricsServer(config.metrics.port, config.metrics.host)
  : undefined;

// Expired sessions, drafts, card sessions and links, old rows, password reminders: one timer.
const housekeeping = new Housekeeping({ db: database.db, log: app.log }).start();
// Delivers the outbox from this process unless OUTBOX_WORKER=off (then run `npm run worker`).
const outboxWorker = startOutboxWorker(database.db, config);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  // First out of the load balancer (its health check sees 503), then stop accepting and finish
  // the requests in flight (app.close), then the worker and the pool.
  app.readiness.draining = true;
  if (config.shutdownDrainSeconds > 0) {
    app.log.info({ signal, seconds: config.shutdownDrainSeconds }, 'shutting down: draining');
    await new Promise((r) => setTimeout(r, config.shutdownDrainSeconds * 1000));
  }
  app.log.info({ signal }, 'shutting down: finishing requests in flight');
  const force = setTimeout(
    () => {
      app.log.error('requests did not finish within 15 s; exiting');
      process.exit(1);
    },
    (15 + config.shutdownDrainSeconds) * 1000,
  );
  force.unref();
  await app.close();
  await outboxWorker?.stop();
  await housekeeping.stop();
  await metrics?.close();
  await database.close();
  app.log.info('stopped');
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
console.log(
  `portal: ${config.publicOrigin} (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'})`,
);
