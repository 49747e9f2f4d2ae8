// User category and the numbers it makes required: Residence Card number, proxy notification number.
import { hasForbiddenCharacters, normalizeCode, normalizeNumber } from './normalize.ts';
import { err, ok, type Rule } from './result.ts';

/** In the manual's order. */
export const USER_CATEGORIES = [
  'foreign_national',
  'legal_representative',
  'spouse',
  'child',
  'father',
  'mother',
  'attorney',
  'administrative_scrivener',
] as const;
export type UserCategory = (typeof USER_CATEGORIES)[number];
export type UserCategoryError = 'required';

export function parseUserCategory(input: string): Rule<UserCategory, UserCategoryError> {
  return (USER_CATEGORIES as readonly string[]).includes(input) ? ok(input as UserCategory) : err('required');
}

/** Who applies for themselves carries a Residence Card. */
export const needsResidenceCard = (c: UserCategory | undefined): boolean => c === 'foreign_national';
/** Attorneys and Administrative Procedures Legal Specialists (行政書士) act under a proxy notification. */
export const needsProxyNumber = (c: UserCategory | undefined): boolean =>
  c === 'attorney' || c === 'administrative_scrivener';

export type ResidenceCardNumberError = 'required' | 'invalid_format' | 'invalid_characters';

/**
 * Two upper-case letters, eight digits, two upper-case letters (e.g. AB12345678CD).
 * Required for a Foreign National; checked whenever entered. Empty → null.
 */
export function parseResidenceCardNumber(
  input: string,
  category: UserCategory | undefined,
): Rule<string | null, ResidenceCardNumberError> {
  const v = normalizeCode(input);
  if (v === '') return needsResidenceCard(category) ? err('required') : ok(null);
  if (hasForbiddenCharacters(input)) return err('invalid_characters');
  return /^[A-Z]{2}\d{8}[A-Z]{2}$/.test(v) ? ok(v) : err('invalid_format');
}

export const PROXY_NUMBER_MAX = 12;
export type ProxyNotificationNumberError = 'required' | 'invalid_format' | 'invalid_characters';

/** 1-byte digits, up to 12 (manual). Required for attorney / administrative scrivener. */
export function parseProxyNotificationNumber(
  input: string,
  category: UserCategory | undefined,
): Rule<string | null, ProxyNotificationNumberError> {
  const v = normalizeNumber(input);
  if (v === '') return needsProxyNumber(category) ? err('required') : ok(null);
  if (hasForbiddenCharacters(input)) return err('invalid_characters');
  return /^\d{1,12}$/.test(v) ? ok(v) : err('invalid_format');
}
