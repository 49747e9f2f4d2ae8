import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../store/schema.ts';

/** Liveness (the process answers) and readiness (the database answers within 2 s). */
export async function healthRoutes(app: FastifyInstance, opts: { db: Db }): Promise<void> {
  const config = { session: false, csrf: false };
  app.get('/healthz', { config, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await Promise.race([
        sql`SELECT 1`.execute(opts.db),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database timeout')), 2000).unref()),
      ]);
      return { status: 'ready', database: 'ok' };
    } catch (err) {
      reply.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'not ready', database: 'unreachable' });
    }
  });
}
