// Local format checks for the two card secrets (spec §5). Checking before sending matters:
// the card counts a malformed value as a wrong one and spends a try on it.

export const SIGN_PASSWORD_MAX_TRIES = 5;
export const AUTH_PIN_MAX_TRIES = 3;

/** J-LIS software upper-cases the sign password; so do we (the auth PIN is digits only). */
export function normalizeSignPassword(input: string): string {
  return input.toUpperCase();
}

/** 6–16 characters of A–Z and 0–9, with at least one letter and one digit. Expects normalised input. */
export function isValidSignPassword(password: string): boolean {
  return /^[A-Z0-9]{6,16}$/.test(password) && /[A-Z]/.test(password) && /[0-9]/.test(password);
}

/** Exactly four digits. */
export function isValidAuthPin(pin: string): boolean {
  return /^[0-9]{4}$/.test(pin);
}
