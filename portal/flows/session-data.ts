// Everything a browser session holds, in one schema. The session travels in a sealed cookie
// (anonymous) or a database row (signed in); either way what comes back is read through
// parseSessionData, so a value of the wrong shape (an older portal, a forged cookie sealed with a
// leaked key, a row edited by hand) is dropped, never handed to a flow as if it were valid.
import { isNotice, type Notice } from '../i18n/codes.ts';
import { type CardVerified, isCardVerified } from './card-step.ts';

/** STEP3: what the completion page shows again if Registration is clicked twice. */
export interface Completed {
  userId: string;
  email: string;
}

export type LinkProblem = 'expired' | 'used' | 'unknown';

export interface SessionData {
  /** A message for the next page (portal/web/notice.ts shows it once). */
  notice?: Notice;
  /** A card step's result, until the flow that asked for it redeems it (flows/card-step.ts). */
  cardVerified?: CardVerified;
  /** Set when a card step was the first thing that needed the session (it must exist in the database). */
  cardStepStartedAt?: string;
  /** The registration draft this browser works on (flows/registration/flow.ts). */
  registrationDraftId?: string;
  registrationCompleted?: Completed;
  /** The emailed password-setting link, once opened (the token leaves the address bar). */
  passwordLinkId?: string;
  passwordLinkProblem?: LinkProblem;
  /** The emailed link that confirms a new email address. */
  emailLinkId?: string;
  /** When the session id was last changed (sign-in, sign-out, password change). */
  rotatedAt?: string;
  /** When the user last proved it is them (card sign-in, password re-entry): passkeys need it fresh. */
  proofAt?: string;
}

export type SessionKey = keyof SessionData;

/** A session as the flows see it: its id and typed data (portal/web/session.ts implements it). */
export interface SessionState {
  readonly id: string;
  get<K extends SessionKey>(key: K): SessionData[K];
  set<K extends SessionKey>(key: K, value: SessionData[K] | undefined): void;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= 512;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';

/** One check per key: what may come back from a cookie or a row. */
const SCHEMA: { [K in SessionKey]-?: (v: unknown) => v is NonNullable<SessionData[K]> } = {
  notice: isNotice,
  cardVerified: isCardVerified,
  cardStepStartedAt: isString,
  registrationDraftId: isString,
  registrationCompleted: (v): v is Completed => isObject(v) && isString(v.userId) && isString(v.email),
  passwordLinkId: isString,
  passwordLinkProblem: (v): v is LinkProblem => v === 'expired' || v === 'used' || v === 'unknown',
  emailLinkId: isString,
  rotatedAt: isString,
  proofAt: isString,
};

/**
 * The keys that belong to one signed-in user (the emailed links, the fresh proof passkeys need):
 * cleared when someone signs in, so nothing of a previous user carries over.
 */
export const SIGNIN_RESET_KEYS = [
  'passwordLinkId',
  'passwordLinkProblem',
  'emailLinkId',
  'proofAt',
] as const satisfies SessionKey[];

/** Keeps each known key whose value passes its check; anything else is dropped. */
export function parseSessionData(raw: unknown): SessionData {
  const out: Record<string, unknown> = {};
  if (!isObject(raw)) return out;
  for (const key of Object.keys(SCHEMA) as SessionKey[]) {
    if (SCHEMA[key](raw[key])) out[key] = raw[key];
  }
  return out as SessionData;
}

/** Records a proof that it is the user (card sign-in, password re-entry) on this session (flows/account/passkeys.ts). */
export function markFreshProof(session: Pick<SessionState, 'set'>, at: Date): void {
  session.set('proofAt', at.toISOString());
}

export function setNotice(session: Pick<SessionState, 'set'>, notice: Notice): void {
  session.set('notice', notice);
}

/** The notice for this page, removed from the session so it is shown once. */
export function takeNotice(session: Pick<SessionState, 'get' | 'set'>): Notice | undefined {
  const n = session.get('notice');
  if (n) session.set('notice', undefined);
  return n;
}
