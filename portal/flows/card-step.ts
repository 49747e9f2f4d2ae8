// The card step (ARCHITECTURE.md "The card step"): start → user client software → callback →
// continue. Used by registration, sign-in, User ID recovery and a new card on My page. Plain
// inputs in, an outcome out: the routes (portal/web/routes/card-step.ts) turn outcomes into
// redirects and notices.
import { createHash, randomBytes } from 'node:crypto';
import type { Basic4Prefill } from '../../card/basic4.ts';
import {
  CardCheckError,
  type CardStepErrorCode,
  isCardStepError,
  isClientError,
} from '../identity/errors.ts';
import type { TrustStore } from '../identity/trust.ts';
import { verifyCardToken } from '../identity/verify-token.ts';
import { writeAudit } from '../store/audit.ts';
import {
  type CardPurpose,
  type CardRedemption,
  collectCardSession,
  consumeCardSession,
  insertCardSession,
  recordCardOutcome,
  redeemCardSession,
} from '../store/card-sessions.ts';
import type { PortalDeps } from './deps.ts';
import type { SessionState } from './session-data.ts';

export type { CardPurpose };

/** What a successful card step leaves in the browser session (key `cardVerified`, flows/session-data.ts). */
export interface CardVerified {
  purpose: CardPurpose;
  cardSessionId: string;
  /** SHA-256 (hex) of the auth certificate's tbsCertificate: the card's identity (decision 0601). */
  cardIdentity: string;
  /** SHA-256 (hex) of the auth certificate's DER: finds cards linked before migration 0301. */
  authCertFingerprint: string;
  authCertSerial: string;
  /** When the portal verified the card's token (the callback), not when the browser collected it. */
  verifiedAt: string;
  /** registration only: the STEP1 fields the signature certificate can fill. */
  basic4?: Basic4Prefill;
}

const PURPOSES: readonly CardPurpose[] = ['registration', 'signin', 'recover-user-id', 'renew-card'];
const isPurpose = (v: unknown): v is CardPurpose => PURPOSES.includes(v as CardPurpose);

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 512;

/** A card result read back from a session: the shape above, nothing else (flows/session-data.ts). */
export function isCardVerified(v: unknown): v is CardVerified {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  const b = c.basic4 as Record<string, unknown> | undefined;
  return (
    isPurpose(c.purpose) &&
    isText(c.cardSessionId) &&
    isText(c.cardIdentity) &&
    isText(c.authCertFingerprint) &&
    isText(c.authCertSerial) &&
    isText(c.verifiedAt) &&
    (b === undefined ||
      (typeof b === 'object' &&
        b !== null &&
        ['userName', 'sex', 'dateOfBirth'].every((k) => b[k] === undefined || isText(b[k]))))
  );
}

const SUCCESS_PATH: Record<CardPurpose, string> = {
  registration: '/registration/step1',
  signin: '/signin/card/complete',
  'recover-user-id': '/recover-user-id/complete',
  'renew-card': '/mypage/card/complete',
};
const FAILURE_PATH: Record<CardPurpose, string> = {
  registration: '/',
  signin: '/signin',
  'recover-user-id': '/recover-user-id',
  'renew-card': '/mypage/card',
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** 32 random bytes, standard base64 with padding (44 characters), as the client expects. */
export function newNonce(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Creates the card session (bound to this browser session, single use, expiring after
 * config.cardSessionMinutes) and returns where to send the browser: the user client software.
 * The browser session must already exist in the database (or its cookie) when the browser comes back.
 */
export async function startCardStep(
  deps: PortalDeps,
  start: { browserSessionId: string; purpose: CardPurpose; lang: string },
): Promise<string> {
  const { config } = deps;
  const now = deps.now();
  const nonce = newNonce();
  await insertCardSession(deps.db, {
    id: randomBytes(16).toString('base64url'),
    nonceHash: sha256(nonce),
    browserSessionId: start.browserSessionId,
    purpose: start.purpose,
    origin: config.publicOrigin,
    expiresAt: new Date(now.getTime() + config.cardSessionMinutes * 60_000),
  });
  const url = new URL('/authenticate', config.clientOrigin);
  url.searchParams.set('origin', config.publicOrigin);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('return', `${config.publicOrigin}/card/callback`);
  url.searchParams.set('lang', start.lang);
  url.searchParams.set('mode', start.purpose === 'registration' ? 'register' : 'authenticate');
  return url.toString();
}

const continueUrl = (query: Record<string, string>) => `/card/continue?${new URLSearchParams(query)}`;

/** Where the card step writes what it refused (never certificate contents or personal data). */
export interface CardStepLog {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
}

/**
 * POST /card/callback: arrives cross-site from the client (no session cookie), so the
 * outcome is written to the card session and collected by GET /card/continue. Returns that address.
 */
export async function cardCallback(
  deps: PortalDeps,
  trust: TrustStore,
  body: Record<string, unknown>,
  log: CardStepLog,
  requestId: string,
): Promise<string> {
  const nonce = body.nonce;
  if (typeof nonce !== 'string' || nonce.length < 44 || nonce.length > 128) {
    return continueUrl({ e: 'request_unknown' });
  }
  const now = deps.now();
  const consumed = await consumeCardSession(deps.db, sha256(nonce), now);
  if (consumed.kind === 'unknown') return continueUrl({ e: 'request_unknown' });
  if (consumed.kind === 'used') {
    log.warn({ purpose: consumed.session.purpose }, 'card step: nonce replayed');
    return continueUrl({ e: 'request_used', p: consumed.session.purpose });
  }
  const session = consumed.session;
  let outcome: { ok: true; result: Record<string, unknown> } | { ok: false; code: CardStepErrorCode };
  if (session.expiresAt.getTime() < now.getTime()) {
    outcome = { ok: false, code: 'request_expired' };
  } else if (body.error !== undefined) {
    outcome = { ok: false, code: isClientError(body.error) ? body.error : 'bad_request' };
  } else {
    try {
      const verified = await verifyCardToken(
        {
          mode: session.purpose === 'registration' ? 'register' : 'authenticate',
          token: body.token,
          nonce,
          sessionOrigin: session.origin,
          publicOrigin: deps.config.publicOrigin,
          now,
        },
        trust,
      );
      outcome = { ok: true, result: { ...verified } };
    } catch (err) {
      if (!(err instanceof CardCheckError)) throw err;
      outcome = { ok: false, code: err.code };
      log.info({ code: err.code, detail: err.detail, purpose: session.purpose }, 'card step refused');
    }
  }
  // What the browser will be given is remembered now by its digest (redeemCardResult accepts it
  // back only unchanged, once); the digest and the audit event ride on the outcome's statement.
  const card =
    outcome.ok && session.usedAt ? verifiedCard(session, session.usedAt, outcome.result) : undefined;
  await recordCardOutcome(
    deps.db,
    session.id,
    outcome,
    card && {
      digest: cardResultDigest(card),
      audit: { event: 'card_step.verified', requestId, detail: { purpose: session.purpose } },
    },
  );
  return continueUrl({ cs: session.id });
}

/**
 * The card step's result as the browser session keeps it, from the stored result: the same at the
 * callback (its digest is stored) and at /card/continue (it goes into the session). Undefined for
 * a result from a portal before decision 0601 (no card identity): the card is read again.
 */
function verifiedCard(
  session: { id: string; purpose: CardPurpose },
  usedAt: Date,
  result: Record<string, unknown>,
): CardVerified | undefined {
  const r = result as {
    cardIdentity?: string;
    authCertFingerprint: string;
    authCertSerial: string;
    basic4?: Basic4Prefill;
  };
  if (!r.cardIdentity) return undefined;
  return {
    purpose: session.purpose,
    cardSessionId: session.id,
    cardIdentity: r.cardIdentity,
    authCertFingerprint: r.authCertFingerprint,
    authCertSerial: r.authCertSerial,
    verifiedAt: usedAt.toISOString(),
    ...(session.purpose === 'registration' ? { basic4: r.basic4 ?? {} } : {}),
  };
}

/** What GET /card/continue leads to: the flow that asked (with the result), or back with a code. */
export type ContinueOutcome =
  | { ok: true; card: CardVerified; next: string }
  | { ok: false; purpose: CardPurpose; code: CardStepErrorCode; next: string };

const failed = (purpose: CardPurpose, code: CardStepErrorCode): ContinueOutcome => ({
  ok: false,
  purpose,
  code,
  next: FAILURE_PATH[purpose],
});

/**
 * GET /card/continue: back in the browser that started the step (its session cookie is sent).
 * On success the caller keeps `card` in the session (key `cardVerified`) for the flow to redeem.
 */
export async function cardContinue(
  deps: PortalDeps,
  query: Record<string, unknown>,
  browser: { sessionId: string; requestId: string },
): Promise<ContinueOutcome> {
  if (typeof query.e === 'string') {
    const purpose = isPurpose(query.p) ? query.p : 'registration';
    return failed(purpose, isCardStepError(query.e) ? query.e : 'request_unknown');
  }
  const id = typeof query.cs === 'string' && query.cs.length <= 64 ? query.cs : '';
  const now = deps.now();
  const session = id ? await collectCardSession(deps.db, id, now) : undefined;
  if (!session) return failed('registration', 'request_used');
  const audit = (event: string, detail: Record<string, unknown>) =>
    writeAudit(deps.db, {
      event,
      requestId: browser.requestId,
      detail: { purpose: session.purpose, ...detail },
    });
  if (session.browserSessionId !== browser.sessionId) {
    await audit('card_step.failed', { code: 'session_mismatch' });
    return failed(session.purpose, 'session_mismatch');
  }
  if (session.outcome !== 'verified' || !session.result || !session.usedAt) {
    const code = isCardStepError(session.errorCode) ? session.errorCode : 'request_unknown';
    await audit('card_step.failed', { code });
    return failed(session.purpose, code);
  }
  // The result is good for config.cardSessionMinutes after the card was verified: collecting it
  // later (a tab left open, a copied /card/continue address) starts over.
  if (now.getTime() - session.usedAt.getTime() > deps.config.cardSessionMinutes * 60_000) {
    await audit('card_step.failed', { code: 'result_expired' });
    return failed(session.purpose, 'request_expired');
  }
  const card = verifiedCard(session, session.usedAt, session.result);
  // Verified by a portal from before decision 0601 (no identity): the card is read again.
  if (!card) return failed(session.purpose, 'request_expired');
  // Its digest and the 'card_step.verified' event were written with the outcome (cardCallback).
  return { ok: true, card, next: SUCCESS_PATH[session.purpose] };
}

/** SHA-256 over the result with its keys sorted, so the same content always gives the same digest. */
export function cardResultDigest(card: CardVerified): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
  return sha256(JSON.stringify(canonical(card)));
}

export type Redeemed = { ok: true; card: CardVerified } | { ok: false; reason: 'expired' | 'used' };

/**
 * Takes the card step's result out of the browser session and checks it against its card
 * session in the database, marking that row used in the same statement: collected by this browser
 * session, verified, for this purpose, unchanged, within the time allowed after verification,
 * and not used before. A session sealed by someone who knows the key, or an old copy of the
 * cookie, gets nothing without a real card step that has not been used yet.
 */
export async function redeemCardResult(
  deps: PortalDeps,
  session: SessionState,
  purpose: CardPurpose,
  maxAgeMs = deps.config.cardSessionMinutes * 60_000,
): Promise<Redeemed | undefined> {
  const taken = takeCardResult(deps, session, purpose, maxAgeMs);
  if (!taken?.ok) return taken;
  const redeemed = await redeemCardSession(deps.db, taken.redeem);
  return redeemed ? { ok: true, card: taken.card } : { ok: false, reason: 'used' };
}

/**
 * The first half of redeemCardResult, without I/O: takes the result out of the session and
 * checks its age; the caller then redeems it in the database (alone, or folded into the
 * statement that uses it, as the registration draft does).
 */
export function takeCardResult(
  deps: PortalDeps,
  session: SessionState,
  purpose: CardPurpose,
  maxAgeMs = deps.config.cardSessionMinutes * 60_000,
): { ok: true; card: CardVerified; redeem: CardRedemption } | { ok: false; reason: 'expired' } | undefined {
  const card = session.get('cardVerified');
  if (card?.purpose !== purpose) return undefined;
  session.set('cardVerified', undefined);
  const now = deps.now();
  const verifiedAt = Date.parse(card.verifiedAt);
  if (!(now.getTime() - verifiedAt <= maxAgeMs)) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    card,
    redeem: {
      id: card.cardSessionId,
      browserSessionId: session.id,
      purpose,
      resultDigest: cardResultDigest(card),
      verifiedAfter: new Date(now.getTime() - maxAgeMs),
      now,
    },
  };
}
