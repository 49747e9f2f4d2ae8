// Normalisers for what people type: full-width letters and digits, stray spaces, hyphens of
// every width. They never reject; the rules in this folder then check the normalised text.
// One refusal is shared by every field of every form: characters no field accepts (below).

/**
 * Every dash or hyphen-like character an IME or a word processor may produce for "-": the
 * Unicode Dash property (hyphen, non-breaking hyphen, en and em dashes, minus sign, full-width
 * and small hyphen-minus, wave dash …), the katakana long-vowel mark (half- and full-width),
 * the hyphen bullet and the soft hyphen. NFKC leaves most of them alone.
 */
export const HYPHENS = /[\p{Dash}\u30fc\uff70\u2043\u00ad]/gu;

/** NFKC (full-width → half-width), ideographic space → space, runs of spaces → one, trimmed. */
export function normalizeText(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** For numbers: NFKC, then spaces, hyphens and brackets removed ("０３－1234 (5678)" → "0312345678"). */
export function normalizeNumber(input: string): string {
  return input
    .normalize('NFKC')
    .replace(HYPHENS, '')
    .replace(/[\s()]/g, '');
}

/** For codes written in upper-case letters and digits: as normalizeNumber, then upper-cased. */
export function normalizeCode(input: string): string {
  return normalizeNumber(input).toUpperCase();
}

/**
 * The form in which a User ID is looked for inside other text (a password): NFKC, upper case,
 * spaces and every kind of hyphen removed, and O read as 0, I and L as 1 — the same reading the
 * portal gives a User ID typed back. Both sides of a comparison must be folded with this.
 */
export function foldForUserId(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(HYPHENS, '')
    .replace(/\s+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/**
 * Characters no form field accepts: control characters (C0, DEL and C1; a field that allows
 * line breaks lets CR and LF through), lone surrogates (half of a UTF-16 pair: not text at
 * all), the bidirectional controls that make text display in another order than it is stored
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the Unicode non-characters, and
 * U+FFFD, the mark left where a browser or the portal replaced something it could not keep
 * (so a marked entry stays refused until the person corrects it).
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Bidi_Control}\p{Noncharacter_Code_Point}\uFFFD]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');
const LINE_BREAK = /^[\r\n]$/;

export interface TextOptions {
  /** The field is multi-line: CR and LF are allowed. */
  newlines?: boolean;
}

/** True when the text holds a character no field accepts (see FORBIDDEN). */
export function hasForbiddenCharacters(input: string, opts: TextOptions = {}): boolean {
  return FORBIDDEN.test(opts.newlines ? input.replace(/[\r\n]/g, '') : input);
}

/**
 * The text with each forbidden character replaced by U+FFFD (which is itself refused): what
 * a form keeps and shows again, so the database never receives NUL or a lone surrogate and
 * the person sees where the problem was.
 */
export function markForbiddenCharacters(input: string, opts: TextOptions = {}): string {
  return input.replace(FORBIDDEN_ALL, (c) => (opts.newlines && LINE_BREAK.test(c) ? c : '\uFFFD'));
}

/**
 * At most `max` UTF-16 units, never cutting a surrogate pair in two (a cut pair would leave a
 * lone surrogate, which PostgreSQL's jsonb refuses).
 */
export function cutText(input: string, max: number): string {
  if (input.length <= max) return input;
  const high = input.charCodeAt(max - 1);
  return input.slice(0, high >= 0xd800 && high <= 0xdbff ? max - 1 : max);
}
