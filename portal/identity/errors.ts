// Every way a card step can fail, one code each (texts: t.registration.notices[code]).
// Codes of the user client software come first: the client posts them as `error`; their list
// is the contract's own (card/errors.ts), shared with the client.
import { CLIENT_ERRORS, type ClientErrorCode } from '../../card/errors.ts';

export { CLIENT_ERRORS, type ClientErrorCode, isClientError } from '../../card/errors.ts';

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
