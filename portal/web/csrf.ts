import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { safeEqual } from './session.ts';

export class CsrfError extends Error {
  readonly statusCode = 403;
  constructor(readonly reason: 'origin' | 'token') {
    super(`CSRF check failed: ${reason}`);
  }
}

/**
 * Every state-changing request must carry the session's form token, and, when the browser
 * sends an Origin header, come from our own origin. Routes opt out with `config: { csrf: false }`
 * (only the card callback, which arrives cross-site by design and is bound by its nonce instead).
 */
export const csrfPlugin = fp(async (app: FastifyInstance, opts: { publicOrigin: string }) => {
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (request.routeOptions.config?.csrf === false) return;
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && origin !== opts.publicOrigin) throw new CsrfError('origin');
    const body = request.body as Record<string, unknown> | undefined;
    const token = typeof body?._csrf === 'string' ? body._csrf : '';
    if (!token || request.session.isNew || !safeEqual(token, request.session.row.csrfToken)) {
      throw new CsrfError('token');
    }
  });
});
