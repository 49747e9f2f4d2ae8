import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { outboxSummary } from '../../store/outbox.ts';
import type { Db } from '../../store/schema.ts';

export interface Readiness {
  /** Set on SIGTERM: /readyz answers 503 so the load balancer stops sending new requests here. */
  draining: boolean;
}

export interface ReadyReport {
  status: 'ready' | 'degraded' | 'not ready' | 'shutting down';
  database: 'ok' | 'unreachable';
  redis: 'ok' | 'unreachable' | 'not configured';
  smtp: 'ok' | 'refusing' | 'unreachable' | 'not configured';
  outbox: { pending: number; oldestPendingSeconds: number } | null;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timeout`)), ms).unref()),
  ]);
}

/** Connects to the SMTP server and reads its greeting: 220 is ok, anything else is refusing. */
export function probeSmtp(smtpUrl: string, timeoutMs = 2000): Promise<'ok' | 'refusing' | 'unreachable'> {
  const url = new URL(smtpUrl);
  const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 25));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    let settled = false;
    const done = (state: 'ok' | 'refusing' | 'unreachable') => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(state);
    };
    socket.setTimeout(timeoutMs, () => done('unreachable'));
    socket.once('error', () => done('unreachable'));
    // Over TLS (smtps:) the greeting is encrypted: a connection is all this probe checks.
    if (url.protocol === 'smtps:') socket.once('connect', () => done('ok'));
    else socket.once('data', (d) => done(d.toString('latin1').startsWith('220') ? 'ok' : 'refusing'));
  });
}

/**
 * Liveness (the process answers) and readiness: the database must answer within 2 s (else 503,
 * which takes the instance out of the load balancer). Redis (shared rate limits) and SMTP (the
 * outbox keeps mail until it is back) are reported but only degrade: applicants can still register.
 */
export async function healthRoutes(
  app: FastifyInstance,
  opts: { db: Db; redis: Redis | undefined; smtpUrl: string | undefined; readiness: Readiness },
): Promise<void> {
  const config = { session: false, csrf: false };
  // SMTP is probed at most every 5 s, whatever the number of instances × health checks.
  let smtp: { at: number; state: Promise<ReadyReport['smtp']> } | undefined;
  const smtpState = (): Promise<ReadyReport['smtp']> => {
    if (!opts.smtpUrl) return Promise.resolve('not configured');
    if (!smtp || Date.now() - smtp.at > 5000) smtp = { at: Date.now(), state: probeSmtp(opts.smtpUrl) };
    return smtp.state;
  };
  app.get('/healthz', { config, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config, logLevel: 'warn' }, async (_request, reply) => {
    const [database, outbox] = await within(
      Promise.all([sql`SELECT 1`.execute(opts.db), outboxSummary(opts.db, new Date())]),
      2000,
      'database',
    ).then(
      ([, s]) =>
        [
          'ok' as const,
          { pending: s.counts.queued + s.counts.sending, oldestPendingSeconds: s.oldestDueSeconds ?? 0 },
        ] as const,
      (err) => {
        reply.log.warn({ err: (err as Error).message }, 'readiness: database unreachable');
        return ['unreachable' as const, null] as const;
      },
    );
    const redis: ReadyReport['redis'] = !opts.redis
      ? 'not configured'
      : await within(opts.redis.ping(), 1000, 'redis').then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        );
    const report: ReadyReport = {
      status: opts.readiness.draining
        ? 'shutting down'
        : database !== 'ok'
          ? 'not ready'
          : redis === 'unreachable'
            ? 'degraded'
            : 'ready',
      database,
      redis,
      smtp: await smtpState(),
      outbox,
    };
    if (report.status === 'ready' && report.smtp !== 'ok' && report.smtp !== 'not configured')
      report.status = 'degraded';
    const ok = report.status === 'ready' || report.status === 'degraded';
    return reply.code(ok ? 200 : 503).send(report);
  });
}
