// Typed card errors. Codes reuse the client error codes of spec §13 where they apply, so
// the client can pass them to the portal as they are; the rest are for the dialogs.

/**
 * What the user client software posts to the portal instead of a token (spec §13): the one
 * list the client (client/dialogs.ts) and the portal (portal/identity/errors.ts) both import.
 */
export const CLIENT_ERRORS = [
  'cancelled',
  'no_reader',
  'no_card',
  'not_jpki_card',
  'no_sign_certificate',
  'sign_password_blocked',
  'auth_pin_blocked',
  'card_error',
  /** The client refused the origin, nonce or return URL it was given. */
  'bad_request',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERRORS)[number];

export const isClientError = (v: unknown): v is ClientErrorCode =>
  typeof v === 'string' && (CLIENT_ERRORS as readonly string[]).includes(v);

export type CardErrorCode =
  | Exclude<ClientErrorCode, 'cancelled' | 'bad_request'>
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
