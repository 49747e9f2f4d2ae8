import { pino } from 'pino';
import type { PortalConfig } from '../portal-config.ts';
import type { Db } from '../store/schema.ts';
import { defaultBackoff, OutboxWorker } from './worker.ts';

/**
 * The outbox worker as portal/main.ts and portal/worker.ts run it. OUTBOX_WORKER=off leaves
 * delivery to separate `npm run worker` processes (PostgreSQL only: PGlite's files belong to
 * one process, so with PGlite the portal process delivers its own mail).
 */
export function startOutboxWorker(
  db: Db,
  config: PortalConfig,
  env: Record<string, string | undefined> = process.env,
): OutboxWorker | undefined {
  if (env.OUTBOX_WORKER === 'off') return undefined;
  const logger = pino({ level: config.logLevel, base: { component: 'outbox' } });
  if (!config.mail.smtpUrl) {
    logger.warn('SMTP_URL is not set: mail stays queued in the outbox (npm run outbox shows it)');
    return undefined;
  }
  const worker = new OutboxWorker({
    db,
    config,
    logger,
    leaseMs: config.outbox.leaseSeconds * 1000,
    backoffMs: (attempts) => defaultBackoff(attempts, config.outbox.retrySeconds * 1000),
  });
  worker.start();
  return worker;
}
