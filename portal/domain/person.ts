// User name, sex and date of birth (STEP1 fields 1–3; filled from the card when it can).
import { hasForbiddenCharacters, normalizeNumber, normalizeText } from './normalize.ts';
import { err, ok, type Rule } from './result.ts';

export const USER_NAME_MAX = 104;
export type UserNameError = 'required' | 'invalid_characters' | 'too_long';

/** 1-byte upper-case letters, words separated by one space, at most 104 characters (manual). */
export function parseUserName(input: string): Rule<string, UserNameError> {
  const v = normalizeText(input).toUpperCase();
  if (v === '') return err('required');
  // Checked before normalising: a tab or line break would otherwise pass as a space.
  if (hasForbiddenCharacters(input)) return err('invalid_characters');
  if (!/^[A-Z]+( [A-Z]+)*$/.test(v)) return err('invalid_characters');
  if (v.length > USER_NAME_MAX) return err('too_long');
  return ok(v);
}

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];
export type SexError = 'required';

export function parseSex(input: string): Rule<Sex, SexError> {
  return (SEXES as readonly string[]).includes(input) ? ok(input as Sex) : err('required');
}

export type DateOfBirthError = 'required' | 'invalid_date' | 'not_past' | 'too_old';
export const EARLIEST_BIRTH_YEAR = 1900;

export interface DateParts {
  year: string;
  month: string;
  day: string;
}

/** A real calendar date before `today` (YYYY-MM-DD, the day in Japan); returns YYYY-MM-DD. */
export function parseDateOfBirth(parts: DateParts, today: string): Rule<string, DateOfBirthError> {
  const year = normalizeNumber(parts.year);
  const month = normalizeNumber(parts.month);
  const day = normalizeNumber(parts.day);
  if (year === '' || month === '' || day === '') return err('required');
  if ([parts.year, parts.month, parts.day].some((p) => hasForbiddenCharacters(p))) return err('invalid_date');
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day)) return err('invalid_date');
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || d < 1 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return err('invalid_date');
  }
  const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (iso >= today) return err('not_past');
  if (y < EARLIEST_BIRTH_YEAR) return err('too_old');
  return ok(iso);
}

export function splitIsoDate(iso: string): DateParts {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { year, month: String(Number(month)), day: String(Number(day)) };
}

/** Today's date in Japan (the applicant's date of birth is compared with it). */
export function todayInJapan(now: Date): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}
