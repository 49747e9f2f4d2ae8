// `npm run worker`: an outbox worker in its own process (any number of them, on PostgreSQL).
// Run the portal with OUTBOX_WORKER=off when all delivery is left to these.
import { pino } from 'pino';
import { ConfigError } from '../config/env.ts';
import { Housekeeping } from './flows/housekeeping.ts';
import { startOutboxWorker } from './mail/start-worker.ts';
import { startMetricsServer, watchDatabase } from './metrics.ts';
import { loadStartConfig } from './portal-config.ts';
import { openPostgres } from './store/db.ts';
import { migrate } from './store/migrate.ts';

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
if (!config.databaseUrl) {
  console.error(
    'outbox worker: DATABASE_URL is not set. With the embedded PGlite database the portal process delivers mail itself (OUTBOX_WORKER not "off").',
  );
  process.exit(1);
}
if (!config.mail.smtpUrl) {
  console.error('configuration error: SMTP_URL: required for the outbox worker');
  process.exit(1);
}

const database = await openPostgres(config.databaseUrl, 3);
await migrate(database.db);
watchDatabase(database.db, database.pool);
const metrics = config.metrics.port
  ? await startMetricsServer(config.metrics.port, config.metrics.host)
  : undefined;
const worker = startOutboxWorker(database.db, config, { ...process.env, OUTBOX_WORKER: 'on' })!;
// The same housekeeping the portal runs (each job is safe on several processes at once).
const housekeeping = new Housekeeping({
  db: database.db,
  log: pino({ level: config.logLevel, base: { component: 'housekeeping' } }),
}).start();
console.log(`outbox worker ${worker.id}: delivering through ${new URL(config.mail.smtpUrl).host}`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await worker.stop();
  await housekeeping.stop();
  await metrics?.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
