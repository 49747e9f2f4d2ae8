import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { type Catalog, catalogs, isLang, type Lang, langFromAcceptLanguage } from '../i18n/index.ts';
import { localTarget } from './local-path.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    t: Catalog;
    /** Changes the language for this response and remembers the choice in a cookie. */
    setLang(lang: Lang): void;
    /** Easy Japanese: readings (furigana) over kanji — on unless the reader switched them off. */
    readings: boolean;
    /** Switches readings on or off for this response and remembers it in a cookie. */
    setReadings(on: boolean): void;
  }
}

const COOKIE = 'lang';
const READINGS_COOKIE = 'furigana';

/** `furigana=on|off` (query or form field) as a choice, else undefined. */
export function readingsChoice(value: unknown): boolean | undefined {
  return value === 'on' ? true : value === 'off' ? false : undefined;
}

function rememberReadings(reply: FastifyReply, on: boolean, secure: boolean): void {
  reply.setCookie(READINGS_COOKIE, on ? 'on' : 'off', {
    path: '/',
    sameSite: 'lax',
    secure,
    maxAge: 365 * 24 * 3600,
    httpOnly: true,
  });
}

export function rememberLang(reply: FastifyReply, lang: Lang, secure: boolean): void {
  reply.setCookie(COOKIE, lang, {
    path: '/',
    sameSite: 'lax',
    secure,
    maxAge: 365 * 24 * 3600,
    httpOnly: true,
  });
}

/**
 * The page language: a `?lang=` link (then a redirect to the clean URL), else the cookie,
 * else Accept-Language. Forms switch language by submitting themselves with `_lang`, so the
 * user's entries are kept (see LanguageSwitch in views/layout.tsx); routes call setLang then.
 * Easy Japanese (ja-easy) is never in Accept-Language: it is chosen in the switch and kept in the
 * cookie. Its readings switch works the same way: `?furigana=off` / `_furigana`, cookie `furigana`.
 */
export const i18nPlugin = fp(async (app: FastifyInstance, opts: { secureCookie: boolean }) => {
  app.decorateRequest('lang', 'ja');
  app.decorateRequest('t', null as unknown as Catalog);
  app.decorateRequest('setLang', function (this, lang: Lang) {
    this.lang = lang;
    this.t = catalogs[lang];
    rememberLang(this.server.replyFor(this), lang, opts.secureCookie);
  });
  app.decorateRequest('readings', true);
  app.decorateRequest('setReadings', function (this, on: boolean) {
    this.readings = on;
    rememberReadings(this.server.replyFor(this), on, opts.secureCookie);
  });
  app.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    const readings = readingsChoice(query?.furigana);
    if (request.method === 'GET' && (isLang(query?.lang) || readings !== undefined)) {
      if (isLang(query?.lang)) rememberLang(reply, query.lang, opts.secureCookie);
      if (readings !== undefined) rememberReadings(reply, readings, opts.secureCookie);
      // Built from the parsed path, never the raw target: `//host/x` must not become a Location.
      return reply.redirect(
        localTarget(request.url, (q) => {
          q.delete('lang');
          q.delete('furigana');
        }),
        303,
      );
    }
    const cookie = request.cookies[COOKIE];
    const lang = isLang(cookie) ? cookie : langFromAcceptLanguage(request.headers['accept-language']);
    request.lang = lang;
    request.t = catalogs[lang];
    request.readings = request.cookies[READINGS_COOKIE] !== 'off';
  });
});
