// Every way a card step can fail, one code each (texts: t.registration.notices[code]).
// Codes of the user client software come first: the client posts them as `error`.

export const CLIENT_ERRORS = [
  'cancelled',
  'no_reader',
  'no_card',
  'not_jpki_card',
  'no_sign_certificate',
  'sign_password_blocked',
  'auth_pin_blocked',
  'card_error',
  'bad_request',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERRORS)[number];

/** The portal's own checks, in the order of spec §13. */
export const CHECK_ERRORS = [
  'request_unknown',
  'request_used',
  'request_expired',
  'session_mismatch',
  'token_invalid',
  'origin_mismatch',
  'certificate_invalid',
  'certificate_untrusted',
  'certificate_not_yet_valid',
  'certificate_expired',
  'revocation_unavailable',
  'sign_certificate_revoked',
  'auth_certificate_revoked',
  'key_usage',
  'signature_invalid',
] as const;
export type CheckErrorCode = (typeof CHECK_ERRORS)[number];

export type CardStepErrorCode = ClientErrorCode | CheckErrorCode;
export const CARD_STEP_ERRORS: readonly CardStepErrorCode[] = [...CLIENT_ERRORS, ...CHECK_ERRORS];

export const isClientError = (v: unknown): v is ClientErrorCode =>
  typeof v === 'string' && (CLIENT_ERRORS as readonly string[]).includes(v);
export const isCardStepError = (v: unknown): v is CardStepErrorCode =>
  typeof v === 'string' && (CARD_STEP_ERRORS as readonly string[]).includes(v);

export class CardCheckError extends Error {
  override name = 'CardCheckError';
  constructor(
    readonly code: CheckErrorCode,
    /** For the log only: never certificate contents or personal data. */
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}
