// The binding rules of spec §13 for a card-step request. The request comes from a redirect, so
// every parameter is attacker-influenced: all of it is checked before the card is touched.
import { isTokenMode, type TokenMode } from '../card/token.ts';

export const ORIGIN_MAX_LENGTH = 255;
export const RETURN_URL_MAX_LENGTH = 2048;
/** The card step's kind: the contract's token modes (card/token.ts). */
export type Mode = TokenMode;
export type Lang = 'ja' | 'en' | 'ja-easy';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * `https://host[:port]` exactly as `location.origin` writes it (so no path, query, fragment,
 * user info, trailing slash, default port or upper case), ≤ 255 characters; `http` only for
 * localhost / 127.0.0.1 and only when `dev` is on. Returns the origin or null.
 */
export function parseOrigin(raw: unknown, dev: boolean): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > ORIGIN_MAX_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.origin !== raw) return null;
  if (url.protocol === 'https:') return raw;
  if (url.protocol === 'http:' && dev && LOOPBACK_HOSTS.has(url.hostname)) return raw;
  return null;
}

/** The return URL must be on the requesting origin (no user info, bounded length). */
export function parseReturnUrl(raw: unknown, origin: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > RETURN_URL_MAX_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.origin !== origin || url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** 44–128 characters of base64 or base64url text (spec §13). */
export function isValidNonce(raw: unknown): raw is string {
  return (
    typeof raw === 'string' && raw.length >= 44 && raw.length <= 128 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)
  );
}

export type BindingResult =
  /** Everything checks out: the dialog may start. */
  | { ok: true; origin: string; nonce: string; returnUrl: string; mode: Mode; lang: Lang }
  /** The origin or return address is unacceptable: nothing may be sent anywhere. */
  | { ok: false; kind: 'refused'; reason: 'origin_format' | 'origin_not_allowed' | 'return_url'; lang: Lang }
  /** The origin and return address are fine, something else is not: post back error=bad_request. */
  | {
      ok: false;
      kind: 'bad_request';
      reason: 'nonce' | 'mode';
      origin: string;
      returnUrl: string;
      /** The nonce as given when it is harmless to post back, else ''. */
      nonce: string;
      lang: Lang;
    };

export interface BindingOptions {
  allowedOrigins: readonly string[];
  devOrigins: boolean;
}

/** A query parameter as a single string; repeated parameters count as malformed. */
function single(v: unknown): string | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : null;
}

export function checkBinding(query: Record<string, unknown>, opts: BindingOptions): BindingResult {
  const rawLang = single(query.lang);
  const lang: Lang = rawLang === 'en' || rawLang === 'ja-easy' ? rawLang : 'ja';
  const origin = parseOrigin(single(query.origin), opts.devOrigins);
  if (origin === null) return { ok: false, kind: 'refused', reason: 'origin_format', lang };
  if (!opts.allowedOrigins.includes(origin))
    return { ok: false, kind: 'refused', reason: 'origin_not_allowed', lang };
  const returnUrl = parseReturnUrl(single(query.return), origin);
  if (returnUrl === null) return { ok: false, kind: 'refused', reason: 'return_url', lang };
  const nonce = single(query.nonce);
  const rawMode = single(query.mode);
  const echo = typeof nonce === 'string' && nonce.length <= 256 && /^[\x21-\x7e]*$/.test(nonce) ? nonce : '';
  if (!isValidNonce(nonce))
    return { ok: false, kind: 'bad_request', reason: 'nonce', origin, returnUrl, nonce: echo, lang };
  // A missing mode means registration, the only mode of the first contract version.
  if (rawMode !== undefined && !isTokenMode(rawMode))
    return { ok: false, kind: 'bad_request', reason: 'mode', origin, returnUrl, nonce: echo, lang };
  return { ok: true, origin, nonce, returnUrl, mode: rawMode ?? 'register', lang };
}
