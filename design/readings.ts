/**
 * Readings (furigana) for the Easy Japanese catalogs (ja-easy) of the portal and the user client
 * software: one module in design/, which both programs import. See docs/decisions/1110.
 *
 * In the catalog a reading follows its kanji in braces: `登録{とうろく}` (the base is the run of
 * kanji just before the brace), or `[1日]{ついたち}` for a base that is not only kanji. When the
 * catalog is loaded, each becomes U+E000 base U+E001 reading U+E002 — private-use characters no
 * keyboard types, so a user's own `{…}` is never taken for markup. The page, the email and the
 * client then turn these markers into `<ruby>` in text, and into the plain base (or "base(reading)"
 * in a text email) where HTML cannot go: attribute values, <title>, <option>, <textarea>, subjects.
 */
export const OPEN = '\uE000';
export const MID = '\uE001';
export const CLOSE = '\uE002';

const KANJI_CLASS = '\\p{Script=Han}々〆ヶ';
/** A kanji character (what must carry a reading in ja-easy). */
export const KANJI = new RegExp(`[${KANJI_CLASS}]`, 'u');
const MARKUP = new RegExp(`\\[([^\\[\\]{}]+)\\]\\{([^{}]+)\\}|([${KANJI_CLASS}]+)\\{([^{}]+)\\}`, 'gu');
const MARKER = /\uE000([^\uE000-\uE002]+)\uE001([^\uE000-\uE002]+)\uE002/g;

/** カタカナ → ひらがな (the municipality list gives readings in katakana). */
export function hiragana(kana: string): string {
  return kana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** One reading, as the catalog compiler would write it (dates and other generated text). */
export function ruby(base: string, reading: string): string {
  return `${OPEN}${base}${MID}${reading}${CLOSE}`;
}

/** `漢字{かんじ}` → marker form. */
export function compileReadings(text: string): string {
  return text.replace(MARKUP, (_m, b1, r1, b2, r2) => ruby(b1 ?? b2, r1 ?? r2));
}

/**
 * The whole catalog in marker form: strings compiled, functions wrapped so that their result is
 * compiled (their arguments — names, addresses, dates — are never markup: they are protected).
 */
export function compileCatalog<T>(value: T): T {
  if (typeof value === 'string') return compileReadings(value) as T;
  if (typeof value === 'function') {
    const fn = value as unknown as (...args: unknown[]) => string;
    return ((...args: unknown[]) => {
      const slots: string[] = [];
      const protectedArgs = args.map((a) => {
        if (typeof a !== 'string') return a;
        slots.push(a);
        return `\uE003${slots.length - 1}\uE004`;
      });
      return compileReadings(fn(...protectedArgs)).replace(
        /\uE003(\d+)\uE004/g,
        (_m, i) => slots[Number(i)] ?? '',
      );
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => compileCatalog(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compileCatalog(v)])) as T;
  }
  return value;
}

/** Text without readings: for <title>, attributes, subjects — and readings switched off. */
export function plainText(text: string): string {
  return text.replace(MARKER, '$1');
}

/** Text with readings in brackets after the base, for a text email: 登録(とうろく). */
export function bracketText(text: string): string {
  return text.replace(MARKER, '$1($2)');
}

/**
 * Text as pieces for a script that writes the DOM itself (no HTML): [text] or [base, reading].
 * With readings off, one plain piece.
 */
export function readingPieces(text: string, readings: boolean): Array<[string] | [string, string]> {
  if (!readings) return [[plainText(text)]];
  const out: Array<[string] | [string, string]> = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const at = m.index ?? 0;
    if (at > last) out.push([text.slice(last, at)]);
    out.push([m[1] ?? '', m[2] ?? '']);
    last = at + m[0].length;
  }
  if (last < text.length) out.push([text.slice(last)]);
  return out;
}

const TAG = /<[A-Za-z!/][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>/g;
const PLAIN_ELEMENTS = new Set(['title', 'option', 'textarea', 'script', 'style']);
const TAG_NAME = /^<\/?([A-Za-z0-9]+)/;
const RUBY = '<ruby>$1<rt aria-hidden="true">$2</rt></ruby>';

/**
 * An HTML document or fragment with readings: <ruby>base<rt>reading</rt></ruby> in text (the rt is
 * aria-hidden: a screen reader reads the kanji itself, so the reading would say it twice), the
 * plain base inside tags and in elements that hold only text. `readings: false` gives the plain
 * base everywhere. Markers only ever hold already-escaped text, so nothing new can be injected.
 *
 * Only the pieces that hold a marker are rewritten; the rest is copied in runs, and the walk over
 * the tags stops after the last marker (bench/render.ts: this pass was most of an Easy Japanese
 * page's render). A marker never spans a tag: it comes whole from one catalog string, which the
 * renderer escapes into one text node or attribute value.
 */
export function renderReadingsHtml(html: string, readings: boolean): string {
  let next = html.indexOf(OPEN);
  if (next < 0) return html;
  // Readings off: every marker becomes its base, in text and tags alike.
  if (!readings) return plainText(html);
  let out = '';
  let copied = 0; // html[0, copied) is in out
  let last = 0; // end of the previous tag
  let plainUntil: string | undefined;
  const rewrite = (from: number, to: number, text: string) => {
    out += html.slice(copied, from) + text;
    copied = to;
  };
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const at = m.index;
    const tag = m[0];
    const end = at + tag.length;
    if (next < at) {
      const segment = html.slice(last, at);
      rewrite(last, at, plainUntil ? plainText(segment) : segment.replace(MARKER, RUBY));
      next = html.indexOf(OPEN, at);
    }
    if (next >= at && next < end) {
      rewrite(at, end, plainText(tag));
      next = html.indexOf(OPEN, end);
    }
    last = end;
    if (next < 0) break;
    // Elements that hold only text (or script): their markers become the plain base.
    const c = tag.charCodeAt(1) === 47 /* / */ ? tag.charCodeAt(2) : tag.charCodeAt(1);
    if (!(c === 116 || c === 84 || c === 111 || c === 79 || c === 115 || c === 83)) continue; // t o s
    const name = TAG_NAME.exec(tag)?.[1]?.toLowerCase();
    if (!name) continue;
    if (tag.startsWith('</')) {
      if (plainUntil === name) plainUntil = undefined;
    } else if (!plainUntil && PLAIN_ELEMENTS.has(name) && !tag.endsWith('/>')) plainUntil = name;
  }
  if (next >= 0) {
    const segment = html.slice(last);
    rewrite(last, html.length, plainUntil ? plainText(segment) : segment.replace(MARKER, RUBY));
  }
  return out + html.slice(copied);
}

const DAY_READINGS: Record<number, string> = {
  1: 'ついたち',
  2: 'ふつか',
  3: 'みっか',
  4: 'よっか',
  5: 'いつか',
  6: 'むいか',
  7: 'なのか',
  8: 'ようか',
  9: 'ここのか',
  10: 'とおか',
  14: 'じゅうよっか',
  20: 'はつか',
  24: 'にじゅうよっか',
};

/** A number of days with its reading: 7日 (なのか), 1日 (いちにち), 15日 (にち over 日). */
export function dayCount(n: number): string {
  const reading = n === 1 ? 'いちにち' : DAY_READINGS[n];
  return reading ? ruby(`${n}日`, reading) : `${n}${ruby('日', 'にち')}`;
}

/** A date in the Western calendar, plain, with readings: 2026年(ねん)4月(がつ)1日(ついたち). */
export function easyDate(year: number, month: number, day: number): string {
  const dayReading = DAY_READINGS[day];
  const dayText = dayReading ? ruby(`${day}日`, dayReading) : `${day}${ruby('日', 'にち')}`;
  return `${year}${ruby('年', 'ねん')}${month}${ruby('月', 'がつ')}${dayText}`;
}
