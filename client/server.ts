// The local web server of the user client software: status page, card step (the manual's two
// password dialogs) and the answer to the portal. Listens on 127.0.0.1 only.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { DestinationStream } from 'pino';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { isValidAuthPin, isValidSignPassword, normalizeSignPassword } from '../card/jpki.ts';
import { signedMessage } from '../card/token.ts';
import { renderReadingsHtml } from '../design/readings.ts';
import { type Assets, assetsFor } from './assets.ts';
import { checkBinding, type Lang } from './binding.ts';
import { describeCard, probe, runStep } from './card-steps.ts';
import type { ClientConfig } from './config.ts';
import { type Dialog, DialogStore, tokenMatches } from './dialogs.ts';
import { catalogs, isLang, langFromAcceptLanguage } from './i18n/index.ts';
import { ClientVirtualReader, type Reader } from './reader.ts';
import { buildToken } from './token.ts';
import { DialogPage, type DialogView, dialogPath } from './views/dialog.tsx';
import type { PageContext } from './views/layout.tsx';
import { type Answer, AnswerPage, MessagePage, RefusedPage, StatusPage } from './views/pages.tsx';

export interface ClientServerOptions {
  config: ClientConfig;
  reader: Reader;
  now?: () => number;
  /** Where the log goes (default: standard output); tests pass a stream to read what is logged. */
  logStream?: DestinationStream;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** http://127.0.0.1:<port> or http://localhost:<port>, whichever the browser used. */
    ownOrigin: string;
  }
}

/**
 * Room for a pasted password of 10 000 characters in any script (up to 12 bytes each once
 * percent-encoded): it gets the dialog's format message, not a bare 413.
 */
const FORM_BODY_LIMIT = 256 * 1024;

function csp(formAction: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'none'",
    `form-action ${["'self'", ...formAction].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function send(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .send(`<!doctype html>${renderReadingsHtml(renderToString(page), true)}`);
}

/** Headers for a page that posts to the website: our own forms plus that one origin. */
function allowPostTo(reply: FastifyReply, origin: string): void {
  reply.header('content-security-policy', csp([origin]));
  // strict-origin: the website receives Origin/Referer = the client's origin, never the dialog URL.
  reply.header('referrer-policy', 'strict-origin');
}

export async function buildClientServer(opts: ClientServerOptions): Promise<FastifyInstance> {
  const { config, reader } = opts;
  const assets: Assets = assetsFor();
  const dialogs = new DialogStore(config.dialogMinutes, opts.now);
  // Guards the status page's card changes; other origins cannot read the page, so cannot learn it.
  const statusToken = randomBytes(32).toString('base64url');

  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // Path only: the query carries the nonce and return address. Bodies (passwords) are never logged.
            serializers: { req: (req) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }) },
            redact: ['req.headers', 'req.body'],
            ...(opts.logStream ? { stream: opts.logStream } : {}),
          },
    // Our own events are logged instead of every request (which would only repeat paths).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: FORM_BODY_LIMIT,
  });
  app.decorateRequest('ownOrigin', '');
  // ASVS 13.1.5: forms only. Without Fastify's JSON and text parsers any other body is a 415.
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });

  const ctxFor = (lang: Lang): PageContext => ({
    t: catalogs[lang],
    cssUrl: assets.cssUrl,
    jsUrl: assets.jsUrl,
  });
  const requestLang = (request: FastifyRequest): Lang => {
    const q = (request.query as Record<string, unknown> | undefined)?.lang;
    return isLang(q) ? q : langFromAcceptLanguage(request.headers['accept-language']);
  };
  const forbidden = (request: FastifyRequest, reply: FastifyReply) => {
    const t = catalogs[requestLang(request)];
    return send(
      reply,
      MessagePage({ ctx: ctxFor(t.lang), title: t.forbidden.title, text: t.forbidden.text }),
      403,
    );
  };

  // DNS rebinding: a name that resolves to 127.0.0.1 still carries its own Host header.
  app.addHook('onRequest', async (request, reply) => {
    const port = (app.server.address() as AddressInfo | null)?.port;
    const host = request.headers.host;
    if (port === undefined || (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)) {
      request.log.warn({ host: String(host).slice(0, 100) }, 'refused: foreign Host header');
      return reply
        .code(421)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('421 このアドレスでは応答しません / Misdirected request: unknown Host\n');
    }
    request.ownOrigin = `http://${host}`;
  });

  // No other site may drive the card: every POST comes from our own pages.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    const badOrigin = origin !== undefined && origin !== 'null' && origin !== request.ownOrigin;
    const badSite = site !== undefined && site !== 'same-origin' && site !== 'none';
    if (badOrigin || badSite) {
      request.log.warn({ origin: String(origin).slice(0, 100), site }, 'refused: cross-origin POST');
      return forbidden(request, reply);
    }
    // An absent or "null" Origin is accepted only with the form's token, which every route checks.
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', csp([]));
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    return payload;
  });

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.files.get(request.params.name);
    if (!asset) return reply.code(404).type('text/plain').send('not found');
    return reply
      .header('content-type', asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });

  // ---- status page ------------------------------------------------------------------------

  app.get('/', async (request, reply) => {
    const lang = requestLang(request);
    const state = await reader.state();
    const card = await describeCard(reader);
    const cardDir = reader instanceof ClientVirtualReader ? reader.cardDir : '';
    return send(
      reply,
      StatusPage({ ctx: ctxFor(lang), reader: state, card, formToken: statusToken, cardDir }),
    );
  });

  app.post<{ Body: Record<string, unknown> }>('/reader', async (request, reply) => {
    const body = request.body ?? {};
    if (!tokenMatches(statusToken, body._token)) return forbidden(request, reply);
    const lang: Lang = isLang(body.lang) ? body.lang : 'ja';
    if (!(reader instanceof ClientVirtualReader)) return reply.redirect(`/?lang=${lang}`, 303);
    if (body.action === 'remove') {
      await reader.insert(null);
      request.log.info('virtual reader: card taken out');
    } else if (body.action === 'insert' && typeof body.card === 'string') {
      const known = (await reader.state()).choices.some((c) => c.id === body.card);
      if (!known) return reply.code(400).type('text/plain').send('unknown card');
      await reader.insert(body.card);
      request.log.info({ card: body.card }, 'virtual reader: card inserted');
    } else if (body.action !== 'insert') {
      return reply.code(400).type('text/plain').send('bad request');
    }
    return reply.redirect(`/?lang=${lang}`, 303);
  });

  // ---- the card step ----------------------------------------------------------------------

  app.get('/authenticate', async (request, reply) => {
    const binding = checkBinding((request.query ?? {}) as Record<string, unknown>, {
      allowedOrigins: config.allowedOrigins,
      devOrigins: config.devOrigins,
    });
    const ctx = ctxFor(binding.lang);
    if (!binding.ok && binding.kind === 'refused') {
      request.log.warn({ reason: binding.reason }, 'card step refused');
      const q = (request.query ?? {}) as Record<string, unknown>;
      const shownOrigin =
        binding.reason === 'origin_not_allowed' && typeof q.origin === 'string'
          ? q.origin.slice(0, 255)
          : undefined;
      return send(reply, RefusedPage({ ctx, lang: binding.lang, reason: binding.reason, shownOrigin }), 400);
    }
    if (!binding.ok) {
      request.log.warn({ reason: binding.reason, origin: binding.origin }, 'card step: bad request');
      allowPostTo(reply, binding.origin);
      return send(
        reply,
        RefusedPage({
          ctx,
          lang: binding.lang,
          reason: 'bad_request',
          postBack: { returnUrl: binding.returnUrl, nonce: binding.nonce, origin: binding.origin },
        }),
        400,
      );
    }
    const dialog = dialogs.create(binding);
    request.log.info({ origin: dialog.origin, mode: dialog.mode }, 'card step started');
    return reply.redirect(dialogPath(dialog), 303);
  });

  const expired = (request: FastifyRequest, reply: FastifyReply) => {
    const t = catalogs[requestLang(request)];
    return send(
      reply,
      MessagePage({ ctx: ctxFor(t.lang), title: t.expired.title, text: t.expired.text }),
      410,
    );
  };

  /** What the dialog shows now, from the card's own answers (queries that cost no try). */
  async function currentView(dialog: Dialog): Promise<DialogView> {
    const p = await probe(reader, dialog.step);
    if (p.state !== 'ready') {
      dialog.cancelCode = p.state;
      return { kind: 'problem', code: p.state };
    }
    if (dialog.step === 'sign' && !p.hasSignCertificate) {
      dialog.cancelCode = 'no_sign_certificate';
      return { kind: 'final', code: 'no_sign_certificate' };
    }
    if (!p.pin || 'blocked' in p.pin) {
      const code = dialog.step === 'sign' ? 'sign_password_blocked' : 'auth_pin_blocked';
      dialog.cancelCode = code;
      return { kind: 'final', code };
    }
    dialog.cancelCode = 'cancelled';
    let notice = dialog.notice;
    if (dialog.cardRef && p.cardRef && p.cardRef !== dialog.cardRef) notice = { kind: 'different_card' };
    return { kind: 'password', secret: dialog.step, triesLeft: p.pin.triesLeft, notice };
  }

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/dialog/:id',
    async (request, reply) => {
      const dialog = dialogs.get(request.params.id);
      if (!dialog) return expired(request, reply);
      if (isLang(request.query.lang)) dialog.lang = request.query.lang;
      const view = await currentView(dialog);
      return send(reply, DialogPage({ ctx: ctxFor(dialog.lang), dialog, view }));
    },
  );

  function answer(reply: FastifyReply, dialog: Dialog, result: Answer) {
    dialogs.finish(dialog.id);
    allowPostTo(reply, dialog.origin);
    return send(
      reply,
      AnswerPage({
        ctx: ctxFor(dialog.lang),
        origin: dialog.origin,
        returnUrl: dialog.returnUrl,
        nonce: dialog.nonce,
        answer: result,
      }),
    );
  }

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/dialog/:id',
    async (request, reply) => {
      const dialog = dialogs.get(request.params.id);
      const body = request.body ?? {};
      if (!dialog) return expired(request, reply);
      if (!tokenMatches(dialog.token, body._token)) {
        request.log.warn('refused: dialog POST without its token');
        return forbidden(request, reply);
      }
      const again = () => reply.redirect(dialogPath(dialog), 303);
      if (body.action === 'cancel') {
        request.log.info({ code: dialog.cancelCode }, 'card step ended without a token');
        return answer(reply, dialog, { error: dialog.cancelCode });
      }
      if (body.action !== 'ok') return reply.code(400).type('text/plain').send('bad request');

      // The password is checked here and passed straight to the card; it is never stored or logged.
      const typed = typeof body.password === 'string' ? body.password : '';
      const secret = dialog.step;
      const value = secret === 'sign' ? normalizeSignPassword(typed) : typed;
      if (value === '') {
        dialog.notice = { kind: 'empty' };
        return again();
      }
      if (secret === 'sign' ? !isValidSignPassword(value) : !isValidAuthPin(value)) {
        dialog.notice = { kind: 'format' };
        return again();
      }
      const message = signedMessage(dialog.origin, dialog.nonce);
      const expectedCard = secret === 'auth' && dialog.mode === 'register' ? dialog.cardRef : null;
      const result = await runStep(reader, secret, value, message, expectedCard);
      dialog.notice = null;
      switch (result.result) {
        case 'ok': {
          request.log.info({ step: secret }, 'card step: signed');
          if (secret === 'sign') {
            dialog.sign = { certificate: result.certificate, signature: result.signature };
            dialog.cardRef = result.cardRef;
            dialog.step = 'auth';
            return again();
          }
          const token = buildToken(
            { certificate: result.certificate, signature: result.signature },
            dialog.sign,
          );
          return answer(reply, dialog, { token });
        }
        case 'wrong':
          request.log.info({ step: secret, triesLeft: result.triesLeft }, 'card step: wrong password');
          dialog.notice = { kind: 'wrong', triesLeft: result.triesLeft };
          return again();
        case 'blocked':
          request.log.info({ step: secret }, 'card step: password blocked');
          return again();
        case 'different_card':
          dialog.notice = { kind: 'different_card' };
          return again();
        case 'error':
          request.log.warn({ step: secret, code: result.code }, 'card step: card problem');
          if (result.code === 'card_error') dialog.notice = { kind: 'card_error' };
          return again();
      }
    },
  );

  app.setNotFoundHandler(async (request, reply) => {
    const t = catalogs[requestLang(request)];
    return send(
      reply,
      MessagePage({ ctx: ctxFor(t.lang), title: t.notFound.title, text: t.notFound.text }),
      404,
    );
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500)
      request.log.error({ err: { message: error.message, name: error.name } }, 'request failed');
    if (status === 415)
      return reply
        .code(415)
        .type('text/plain; charset=utf-8')
        .send('415 フォーム以外の形式は受け付けません / Unsupported media type: forms only\n');
    return reply
      .code(status)
      .type('text/plain; charset=utf-8')
      .send(status >= 500 ? 'internal error' : 'bad request');
  });

  return app;
}
