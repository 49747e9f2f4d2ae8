import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { PortalDeps } from '../flows/deps.ts';
import { catalogs } from '../i18n/index.ts';
import { databaseUnavailable, httpDuration, httpRequests } from '../metrics.ts';
import { isDatabaseUnavailable } from '../store/db.ts';
import { loadAssets } from './asset-registry.ts';
import { clientAddress, trustProxyOption } from './client-address.ts';
import { CsrfError, csrfPlugin } from './csrf.ts';
import { formTextPlugin } from './form-text.ts';
import { i18nPlugin } from './i18n.ts';
import { accountRoutes } from './routes/account.tsx';
import { healthRoutes, type Readiness } from './routes/health.ts';
import { publicRoutes } from './routes/public.tsx';
import { registrationRoutes } from './routes/registration.tsx';
import { securityHeaders } from './security-headers.ts';
import { sessionPlugin } from './session.ts';
import { MessagePage, TryAgainPage } from './views/pages.tsx';
import { sendPage } from './views/render.ts';

/**
 * Room for one entry of 10 000 characters in any script (up to 12 bytes each once
 * percent-encoded) beside the rest of a form: a long entry gets its field message and the form
 * back with the other entries, rather than a 413 page that loses them.
 */
const FORM_BODY_LIMIT = 256 * 1024;

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** main.ts sets `draining` on SIGTERM (see routes/health.ts). */
    readiness: Readiness;
  }
}

/** Form fields sent back in the "try again" page: never secrets typed by the user. */
const NOT_ECHOED = /pass|pin|secret/i;

/** `stream`: where the lines go (default standard output); the logger test reads them. */
export function loggerOptions(
  level: string,
  stream?: { write(line: string): void },
): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    // Paths only: query strings can carry one-time tokens. Cookies never reach the log.
    serializers: {
      req: (req) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
    },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  };
}

export async function buildApp(deps: PortalDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const secureCookie = config.publicOrigin.startsWith('https:');
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    genReqId: () => randomUUID(),
    bodyLimit: FORM_BODY_LIMIT,
    trustProxy: trustProxyOption(config.trustProxy),
    // Closing (SIGTERM): a request already on an accepted connection is served, not answered 503;
    // new connections are refused, which a load balancer sends to another instance (decision 0903).
    return503OnClosing: false,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.decorate('readiness', { draining: false } satisfies Readiness);
  // Per route pattern (never the path itself: it can carry identifiers), for /metrics.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });

  await app.register(cookie);
  // ASVS 13.1.5: forms only. Without Fastify's JSON and text parsers any other body is a 415.
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });
  // Security headers: the same on every response, computed once (see security-headers.ts).
  const headers = securityHeaders({ clientOrigin: config.clientOrigin, secure: secureCookie });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  // Per-route limits; with REDIS_URL the counters are shared by all instances. If Redis is
  // unreachable the limits are skipped (logged) rather than refusing every applicant.
  // ioredis is loaded only when it is configured (decision 1030: an instance without it need not hold it).
  const redis = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, {
        connectTimeout: 2000,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      })
    : undefined;
  redis?.on('error', (err) => app.log.warn({ err: err.message }, 'rate-limit store (Redis) unavailable'));
  if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  // Without the offline queue, requests that arrive before the connection is up are not counted
  // (skipOnError): wait for it at start, bounded by the connect timeout, so a fresh instance does
  // not give away its first window's attempts.
  if (redis) await redisReady(redis, 2500);
  await app.register(rateLimit, {
    global: false,
    // Keyed like every other per-address limit: the address TRUST_PROXY allows, IPv6 by its /64.
    keyGenerator: clientAddress,
    ...(redis ? { redis, nameSpace: 'residence-online-rl:', skipOnError: true } : {}),
  });
  await app.register(sessionPlugin, {
    db: deps.db,
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
    secrets: config.sessionSecrets,
    secureCookie,
    now: deps.now,
  });
  await app.register(i18nPlugin, { secureCookie });
  await app.register(csrfPlugin, { publicOrigin: config.publicOrigin, db: deps.db });
  await app.register(formTextPlugin);

  const assets = loadAssets();
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    { config: { session: false }, logLevel: 'warn' },
    async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset) return reply.code(404).type('text/plain').send('not found');
      return reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(asset.body);
    },
  );

  // Before the route plugins: each encapsulated context takes the handler in force when it loads.
  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      // The database is down or restarting: a page to try again, with what was just sent.
      databaseUnavailable.inc();
      request.log.warn(
        { err: error.message, code: (error as { code?: string }).code },
        'database unavailable',
      );
      const t = request.t ?? catalogs.ja;
      const body = request.body as Record<string, unknown> | undefined;
      const resend =
        request.method === 'POST' && body && typeof body === 'object'
          ? Object.entries(body).flatMap(([k, v]): [string, string][] =>
              NOT_ECHOED.test(k) ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)]),
            )
          : undefined;
      return sendPage(
        reply.header('retry-after', '5'),
        TryAgainPage({
          t,
          // English below both Japanese pages (an Easy Japanese reader is likelier to read English).
          other: catalogs[t.lang === 'en' ? 'ja' : 'en'],
          path: request.url,
          resend,
        }),
        503,
      );
    }
    const t = request.t;
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: (error as { code?: string }).code, status }, error.message);
    if (!t)
      return reply
        .code(status)
        .type('text/plain')
        .send(status >= 500 ? 'internal error' : 'bad request');
    const page = (title: string, text: string, reference?: string) =>
      sendPage(reply, MessagePage({ t, path: request.url, title, text, reference }), status);
    if (error instanceof CsrfError) return page(t.common.csrf.title, t.common.csrf.text);
    if (status === 429) return page(t.common.tooMany.title, t.common.tooMany.text);
    if (status === 413) return page(t.common.tooLarge.title, t.common.tooLarge.text);
    if (status === 415) return page(t.common.notAForm.title, t.common.notAForm.text);
    if (status === 404) return page(t.common.notFound.title, t.common.notFound.text);
    if (status < 500) return page(t.common.badRequest.title, t.common.badRequest.text);
    return page(t.common.serverError.title, t.common.serverError.text, request.id);
  });

  // ASVS 14.4.2: a JSON answer (municipality search, health) is a download, never a page.
  app.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      const last = request.url.split('?')[0]!.split('/').pop() ?? '';
      reply.header(
        'content-disposition',
        `attachment; filename="${/^[a-z-]+$/.test(last) ? last : 'api'}.json"`,
      );
    }
    return payload;
  });
  await app.register(healthRoutes, {
    db: deps.db,
    redis,
    smtpUrl: config.mail.smtpUrl,
    readiness: app.readiness,
  });
  await app.register(async (scope) => publicRoutes(scope, deps));
  await app.register(async (scope) => registrationRoutes(scope, deps));
  await app.register(async (scope) => accountRoutes(scope, deps));

  app.setNotFoundHandler(async (request, reply) => {
    const t = request.t;
    if (!t) return reply.code(404).type('text/plain').send('not found');
    return sendPage(
      reply,
      MessagePage({ t, path: request.url, title: t.common.notFound.title, text: t.common.notFound.text }),
      404,
    );
  });

  return app;
}

/** Resolves when the client is connected, on its first error, or after `ms`: never throws. */
function redisReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
    redis.once('error', done);
  });
}
