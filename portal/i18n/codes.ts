// The codes the notice catalogs are typed by (`satisfies Record<Code, …>`), and the notice a flow
// leaves for the next page. Flows name their outcomes with these codes; the catalogs hold the words
// (Logto's phrases: one vocabulary, a catalog per language). Here, below flows and mail, so both
// may use them without a cycle.
import { CARD_STEP_ERRORS, type CardStepErrorCode } from '../identity/errors.ts';
import type { CardPurpose } from '../store/card-sessions.ts';

export { CARD_STEP_ERRORS, type CardPurpose, type CardStepErrorCode };

export const CARD_PURPOSES = [
  'registration',
  'signin',
  'recover-user-id',
  'renew-card',
] as const satisfies readonly CardPurpose[];

/** Card-step codes whose words depend on what the user was doing (the rest read the same for all). */
export const PURPOSE_WORDED = [
  'cancelled',
  'no_reader',
  'no_sign_certificate',
  'certificate_expired',
  'sign_certificate_revoked',
] as const satisfies readonly CardStepErrorCode[];
export type PurposeWordedCode = (typeof PURPOSE_WORDED)[number];

/** The registration flow's own notices (a card-step failure during registration is a card-step notice). */
export const REGISTRATION_NOTICES = [
  'card_already_registered',
  'draft_expired',
  'card_step_required',
] as const;
export type RegistrationNoticeCode = (typeof REGISTRATION_NOTICES)[number];

export const ACCOUNT_NOTICES = [
  'passwordSet',
  'signedOut',
  'signInRequired',
  'passwordChanged',
  'emailChangeSent',
  'emailChanged',
  'cardNotRegistered',
  'cardStale',
] as const;
export type AccountNoticeCode = (typeof ACCOUNT_NOTICES)[number];

export const CARD_RENEWAL_NOTICES = ['renewed', 'same', 'replaced', 'otherAccount', 'stale'] as const;
export type CardRenewalNoticeCode = (typeof CARD_RENEWAL_NOTICES)[number];

/** Passkeys on My page (docs/decisions/1101-passkeys-second-way-to-sign-in.md). */
export const PASSKEYS_NOTICES = [
  'added',
  'removed',
  'renamed',
  'confirmed',
  'proofNeeded',
  'notFound',
] as const;
export type PasskeysNoticeCode = (typeof PASSKEYS_NOTICES)[number];

/** Configured values some texts state (passed in, never written into a text). */
export interface TextValues {
  /** CARD_SESSION_MINUTES */
  cardSessionMinutes: number;
}

/** A catalog text: plain, or made from the configured values. */
export type Text = string | ((v: TextValues) => string);

/**
 * A message for the next page (a failed card step back on the page that started it, a saved
 * change on My page). Only codes are stored, so the text follows the language the page is shown in.
 */
export type Notice =
  | { kind: 'error'; area: 'cardStep'; purpose: CardPurpose; code: CardStepErrorCode }
  | { kind: 'error'; area: 'registration'; code: RegistrationNoticeCode }
  | { kind: 'error' | 'info'; area: 'account'; code: AccountNoticeCode }
  | { kind: 'error' | 'info'; area: 'cardRenewal'; code: CardRenewalNoticeCode }
  | { kind: 'error' | 'info'; area: 'passkeys'; code: PasskeysNoticeCode };

const one =
  <T extends string>(list: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (list as readonly string[]).includes(v);
export const isCardPurpose = one(CARD_PURPOSES);
export const isCardStepCode = one(CARD_STEP_ERRORS);
const isKind = one(['error', 'info'] as const);
const CODES = {
  registration: one(REGISTRATION_NOTICES),
  account: one(ACCOUNT_NOTICES),
  cardRenewal: one(CARD_RENEWAL_NOTICES),
  passkeys: one(PASSKEYS_NOTICES),
};

/** A stored notice read back (from a cookie or a session row): only what one of the kinds above allows. */
export function isNotice(v: unknown): v is Notice {
  if (!v || typeof v !== 'object') return false;
  const n = v as Record<string, unknown>;
  if (n.area === 'cardStep') return n.kind === 'error' && isCardPurpose(n.purpose) && isCardStepCode(n.code);
  if (n.area === 'registration') return n.kind === 'error' && CODES.registration(n.code);
  if (n.area === 'account' || n.area === 'cardRenewal' || n.area === 'passkeys')
    return isKind(n.kind) && CODES[n.area](n.code);
  return false;
}

export const textOf = (text: Text, values: TextValues): string =>
  typeof text === 'string' ? text : text(values);

/** A catalog's texts with the configured values filled in (tests compare pages with these). */
export function textsWith<K extends string>(texts: Record<K, Text>, values: TextValues): Record<K, string> {
  return Object.fromEntries(Object.entries<Text>(texts).map(([k, v]) => [k, textOf(v, values)])) as Record<
    K,
    string
  >;
}
