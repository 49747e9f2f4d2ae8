// Typed card errors. Codes reuse the client error codes of spec §13 where they apply, so
// the client can pass them to the portal as they are; the rest are for the dialogs.

export type CardErrorCode =
  | 'no_reader'
  | 'no_card'
  | 'not_jpki_card'
  | 'no_sign_certificate'
  | 'sign_password_blocked'
  | 'auth_pin_blocked'
  | 'card_error'
  /** A wrong PIN with tries left (only thrown by the signToken convenience; the API returns it). */
  | 'wrong_pin'
  /** A PIN/password of the wrong format was refused before it reached the card (no try spent). */
  | 'invalid_pin_format'
  /** The card refused an operation that needs a VERIFY first (69 82). */
  | 'not_verified';

export class CardError extends Error {
  override name = 'CardError';
  readonly code: CardErrorCode;
  /** The status word that caused the error, when there was one. */
  readonly sw: number | undefined;
  /** For 'wrong_pin'. */
  readonly triesLeft: number | undefined;

  constructor(
    code: CardErrorCode,
    message: string,
    options: { sw?: number; triesLeft?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.sw = options.sw;
    this.triesLeft = options.triesLeft;
  }
}
