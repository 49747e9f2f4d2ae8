import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { writeAudit } from '../store/audit.ts';
import type { Db } from '../store/schema.ts';
import { clientAddress } from './client-address.ts';
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
export const csrfPlugin = fp(async (app: FastifyInstance, opts: { publicOrigin: string; db: Db }) => {
  /** ASVS 7.1.3: each refusal is an audit event (reason and path; never the token). */
  const refuse = async (request: FastifyRequest, reason: CsrfError['reason']) => {
    await writeAudit(opts.db, {
      event: 'csrf.refused',
      userId: request.session.userId ?? null,
      requestId: request.id,
      ip: clientAddress(request),
      detail: { reason, path: request.url.split('?')[0] },
    }).catch((err: Error) => request.log.warn({ err: err.message }, 'audit event not written'));
    return new CsrfError(reason);
  };
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (request.routeOptions.config?.csrf === false) return;
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && origin !== opts.publicOrigin) throw await refuse(request, 'origin');
    const body = request.body as Record<string, unknown> | undefined;
    const token = typeof body?._csrf === 'string' ? body._csrf : '';
    if (!token || request.session.isNew || !safeEqual(token, request.session.row.csrfToken)) {
      throw await refuse(request, 'token');
    }
  });
});
