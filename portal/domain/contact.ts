// Telephone number and email address.
import { HYPHENS, hasForbiddenCharacters, normalizeNumber, normalizeText } from './normalize.ts';
import { err, ok, type Rule } from './result.ts';

export type TelephoneError = 'required' | 'invalid_characters' | 'invalid_number';

/**
 * A Japanese landline (10 digits, 0 + area code) or a mobile / IP phone number
 * (11 digits: 070, 080, 090, 050), where the applicant can be reached. Incoming-only and
 * premium services (0120, 0570, 0800, 0990) cannot reach a person and are refused.
 * "+81" or "81" in front is read as the leading 0. Stored as digits only.
 */
export function parseTelephone(input: string): Rule<string, TelephoneError> {
  let v = normalizeNumber(input);
  if (v === '') return err('required');
  if (hasForbiddenCharacters(input)) return err('invalid_characters');
  if (v.startsWith('+81')) v = `0${v.slice(3)}`;
  if (!/^\d+$/.test(v)) return err('invalid_characters');
  if (/^0[5789]0\d{8}$/.test(v)) return ok(v);
  // A 0X0 prefix is never a landline area code (those numbers have 11 digits).
  if (/^0[1-9][1-9]\d{7}$/.test(v) && !/^0(120|570|990|800)/.test(v)) return ok(v);
  return err('invalid_number');
}

/**
 * The number as the applicant wrote it, for showing it back (STEP2): half-width, every kind of
 * hyphen as "-", spaces tidied ("０９０－１２３４－５６７８" → "090-1234-5678"). Stored as digits.
 */
export function telephoneAsTyped(input: string): string {
  return normalizeText(input).replace(HYPHENS, '-');
}

export const EMAIL_MAX = 254;
export type EmailError = 'required' | 'invalid' | 'too_long' | 'invalid_characters';
export type EmailConfirmError = 'required' | 'mismatch';

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A sane address: one @, a dot-atom local part (≤ 64), a domain of DNS labels with a letter TLD. */
export function parseEmail(input: string): Rule<string, EmailError> {
  const v = canonicalEmail(input);
  if (v === '') return err('required');
  if (hasForbiddenCharacters(input)) return err('invalid_characters');
  if (v.length > EMAIL_MAX) return err('too_long');
  const at = v.lastIndexOf('@');
  if (at < 1) return err('invalid');
  const local = v.slice(0, at);
  const domain = v.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL.test(local)) return err('invalid');
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return err('invalid');
  if (!/^[a-z]{2,63}$/.test(labels[labels.length - 1]!)) return err('invalid');
  return ok(`${local}@${domain}`);
}

/** The same text as parseEmail compares: width-folded, no spaces, domain in lower case. */
function canonicalEmail(input: string): string {
  const v = normalizeText(input).replace(/ /g, '');
  const at = v.lastIndexOf('@');
  return at < 0 ? v : `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
}

/** The confirmation must name the same address as the first entry (after the same normalisation). */
export function parseEmailConfirm(emailInput: string, confirmInput: string): Rule<string, EmailConfirmError> {
  const c = canonicalEmail(confirmInput);
  if (c === '') return err('required');
  return c === canonicalEmail(emailInput) ? ok(c) : err('mismatch');
}
