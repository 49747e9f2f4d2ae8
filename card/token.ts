// The card token of spec §13, shared by the client (encodes) and the portal (decodes, then
// verifies the chains and signatures itself — nothing here does any cryptographic check).
import { createHash } from 'node:crypto';
import { CardError } from './errors.ts';
import type { JpkiCard, VerifyResult } from './jpki.ts';

export const TOKEN_FORMAT = 'jpki-reg:1.0';
export const TOKEN_ALGORITHM = 'RS256';
export const TOKEN_MIN_LENGTH = 512;
export const TOKEN_MAX_LENGTH = 16_384;

/**
 * The two kinds of card step (the client's `mode` parameter): registration signs with both
 * card keys; sign-in and User ID recovery (`authenticate`) with the auth key only.
 */
export const TOKEN_MODES = ['register', 'authenticate'] as const;
export type TokenMode = (typeof TOKEN_MODES)[number];
export const isTokenMode = (v: unknown): v is TokenMode =>
  typeof v === 'string' && (TOKEN_MODES as readonly string[]).includes(v);

/** A register-mode token: both halves. */
export interface CardToken {
  /** "jpki-reg:1.x"; minor versions are backward compatible. */
  format: string;
  algorithm: typeof TOKEN_ALGORITHM;
  signCertificate: Uint8Array;
  signSignature: Uint8Array;
  authCertificate: Uint8Array;
  authSignature: Uint8Array;
  appVersion: string;
}

/** An authenticate-mode token: the auth half only. */
export type AuthToken = Omit<CardToken, 'signCertificate' | 'signSignature'>;
export type TokenOf<M extends TokenMode> = M extends 'register' ? CardToken : AuthToken;

/** M = SHA-256(UTF-8(origin)) ‖ SHA-256(UTF-8(nonce)), 64 bytes; both card keys sign it. */
export function signedMessage(origin: string, nonce: string): Uint8Array {
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  const out = new Uint8Array(64);
  out.set(h(origin), 0);
  out.set(h(nonce), 32);
  return out;
}

const b64 = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('base64'));

type EncodeInput<T> = Omit<T, 'format' | 'algorithm'> & Partial<Pick<CardToken, 'format' | 'algorithm'>>;

/**
 * The token text the client posts: register mode when the sign half is given, authenticate
 * mode (auth half only) otherwise. Field order is fixed, so equal tokens encode equally.
 */
export function encodeToken(token: EncodeInput<CardToken> | EncodeInput<AuthToken>): string {
  const sign = 'signCertificate' in token ? token : undefined;
  return JSON.stringify({
    format: token.format ?? TOKEN_FORMAT,
    algorithm: token.algorithm ?? TOKEN_ALGORITHM,
    signCertificate: b64(sign?.signCertificate),
    signSignature: b64(sign?.signSignature),
    authCertificate: b64(token.authCertificate),
    authSignature: b64(token.authSignature),
    appVersion: token.appVersion,
  });
}

export type TokenErrorCode =
  | 'token_size'
  | 'token_json'
  | 'token_format'
  | 'token_algorithm'
  | 'token_field_missing'
  | 'token_field_invalid';

export interface TokenError {
  code: TokenErrorCode;
  /** The offending field, for the *_field_* codes. */
  field?: string;
  message: string;
}

export type DecodeResult<T = CardToken> = { ok: true; token: T } | { ok: false; error: TokenError };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
type BinaryField = 'signCertificate' | 'signSignature' | 'authCertificate' | 'authSignature';
/** [min, max] decoded sizes: certificates of RSA ≥ 2048 keys; signatures of 2048–4096-bit keys. */
const BINARY_LIMITS: Record<BinaryField, readonly [number, number]> = {
  signCertificate: [256, 8192],
  signSignature: [256, 512],
  authCertificate: [256, 8192],
  authSignature: [256, 512],
};
/** The binary fields each mode requires (others present are ignored). */
const MODE_FIELDS: Record<TokenMode, readonly BinaryField[]> = {
  register: ['signCertificate', 'signSignature', 'authCertificate', 'authSignature'],
  authenticate: ['authCertificate', 'authSignature'],
};
const APP_VERSION_MAX = 200;

const fail = (code: TokenErrorCode, message: string, field?: string): { ok: false; error: TokenError } => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, field, message },
});

/**
 * Parses and shape-checks a token of either mode (register when not given) with one set of
 * limits; returns a typed error for the first problem found.
 */
export function decodeToken(text: unknown): DecodeResult<CardToken>;
export function decodeToken<M extends TokenMode>(text: unknown, mode: M): DecodeResult<TokenOf<M>>;
export function decodeToken(
  text: unknown,
  mode: TokenMode = 'register',
): DecodeResult<CardToken | AuthToken> {
  if (typeof text !== 'string' || text.length < TOKEN_MIN_LENGTH || text.length > TOKEN_MAX_LENGTH) {
    return fail('token_size', `token must be ${TOKEN_MIN_LENGTH}–${TOKEN_MAX_LENGTH} characters`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('token_json', 'token is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('token_json', 'token is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.format !== 'string') return fail('token_field_missing', 'format is missing', 'format');
  if (!/^jpki-reg:1(\.[0-9]{1,4})?$/.test(o.format))
    return fail('token_format', `unsupported format ${o.format.slice(0, 40)}`);
  if (o.algorithm !== TOKEN_ALGORITHM) return fail('token_algorithm', 'algorithm must be RS256');
  const bytes: Partial<Record<BinaryField, Uint8Array>> = {};
  for (const field of MODE_FIELDS[mode]) {
    const [min, max] = BINARY_LIMITS[field];
    const v = o[field];
    if (v === undefined || v === null) return fail('token_field_missing', `${field} is missing`, field);
    if (typeof v !== 'string' || !BASE64.test(v))
      return fail('token_field_invalid', `${field} is not base64`, field);
    const b = new Uint8Array(Buffer.from(v, 'base64'));
    if (b.length < min || b.length > max)
      return fail('token_field_invalid', `${field} has ${b.length} bytes`, field);
    if (field.endsWith('Certificate') && b[0] !== 0x30) {
      return fail('token_field_invalid', `${field} is not a DER certificate`, field);
    }
    bytes[field] = b;
  }
  if (typeof o.appVersion !== 'string')
    return fail('token_field_missing', 'appVersion is missing', 'appVersion');
  // appVersion is logged: keep it short and printable so it cannot forge log lines.
  if (o.appVersion.length > APP_VERSION_MAX || /[^\x20-\x7e]/.test(o.appVersion)) {
    return fail('token_field_invalid', 'appVersion must be ≤ 200 printable ASCII characters', 'appVersion');
  }
  const auth: AuthToken = {
    format: o.format,
    algorithm: TOKEN_ALGORITHM,
    authCertificate: bytes.authCertificate!,
    authSignature: bytes.authSignature!,
    appVersion: o.appVersion,
  };
  if (mode === 'authenticate') return { ok: true, token: auth };
  return {
    ok: true,
    token: { ...auth, signCertificate: bytes.signCertificate!, signSignature: bytes.signSignature! },
  };
}

function requireOk(result: VerifyResult, which: 'sign' | 'auth'): void {
  if (result.result === 'ok') return;
  if (result.result === 'blocked') {
    throw new CardError(
      which === 'sign' ? 'sign_password_blocked' : 'auth_pin_blocked',
      `the ${which === 'sign' ? 'sign password' : 'auth PIN'} is blocked`,
    );
  }
  throw new CardError('wrong_pin', `wrong ${which === 'sign' ? 'sign password' : 'auth PIN'}`, {
    triesLeft: result.triesLeft,
  });
}

/**
 * The §6 sequence in one call, for scripts and benchmarks (the client runs the same steps
 * with its two dialogs in between). Wrong or blocked secrets throw CardError.
 */
export async function signToken(
  card: JpkiCard,
  origin: string,
  nonce: string,
  signPassword: string,
  authPin: string,
  appVersion = 'residence-online-card/0.1.0',
): Promise<CardToken> {
  const message = signedMessage(origin, nonce);
  await card.open();
  if (!(await card.hasSignCertificate()))
    throw new CardError('no_sign_certificate', 'this card has no signature certificate');
  if ('blocked' in (await card.signPasswordStatus()))
    throw new CardError('sign_password_blocked', 'the sign password is blocked');
  requireOk(await card.verifySignPassword(signPassword), 'sign');
  const signCertificate = await card.readSignCertificate();
  const signSignature = await card.signWithSignKey(message);
  if ('blocked' in (await card.authPinStatus()))
    throw new CardError('auth_pin_blocked', 'the auth PIN is blocked');
  requireOk(await card.verifyAuthPin(authPin), 'auth');
  const authCertificate = await card.readAuthCertificate();
  const authSignature = await card.signWithAuthKey(message);
  return {
    format: TOKEN_FORMAT,
    algorithm: TOKEN_ALGORITHM,
    signCertificate,
    signSignature,
    authCertificate,
    authSignature,
    appVersion,
  };
}
