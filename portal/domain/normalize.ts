// Normalisers for what people type: full-width letters and digits, stray spaces, hyphens of
// every width. They never reject; the rules in this folder then check the normalised text.

/** Every dash or hyphen-like character an IME may produce for "-" (NFKC leaves most of them alone). */
export const HYPHENS = /[-\u2010-\u2015\u2212\u30fc\uff0d\u2043\ufe58\ufe63]/g;

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
