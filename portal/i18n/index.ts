import { compileCatalog } from '../../design/readings.ts';
import { account as enAccount } from './en/account.ts';
import { cardRenewal as enCardRenewal } from './en/card-renewal.ts';
import { cardStep as enCardStep } from './en/card-step.ts';
import { common as enCommon } from './en/common.ts';
import { guides as enGuides } from './en/guides.ts';
import { passkeys as enPasskeys } from './en/passkeys.ts';
import { registration as enRegistration } from './en/registration.ts';
import { terms as enTerms } from './en/terms.ts';
import { account as jaAccount } from './ja/account.ts';
import { cardRenewal as jaCardRenewal } from './ja/card-renewal.ts';
import { cardStep as jaCardStep } from './ja/card-step.ts';
import { common as jaCommon } from './ja/common.ts';
import { guides as jaGuides } from './ja/guides.ts';
import { passkeys as jaPasskeys } from './ja/passkeys.ts';
import { registration as jaRegistration } from './ja/registration.ts';
import { terms as jaTerms } from './ja/terms.ts';
import { account as easyAccount } from './ja-easy/account.ts';
import { cardRenewal as easyCardRenewal } from './ja-easy/card-renewal.ts';
import { cardStep as easyCardStep } from './ja-easy/card-step.ts';
import { common as easyCommon } from './ja-easy/common.ts';
import { guides as easyGuides } from './ja-easy/guides.ts';
import { passkeys as easyPasskeys } from './ja-easy/passkeys.ts';
import { registration as easyRegistration } from './ja-easy/registration.ts';
import { terms as easyTerms } from './ja-easy/terms.ts';

/** Easy Japanese (ja-easy, やさしい日本語) is chosen in the language switch; no browser asks for it. */
export const LANGS = ['ja', 'ja-easy', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  lang: 'en' as Lang,
  common: enCommon,
  terms: enTerms,
  registration: enRegistration,
  account: enAccount,
  guides: enGuides,
  cardRenewal: enCardRenewal,
  cardStep: enCardStep,
  passkeys: enPasskeys,
};
export type Catalog = typeof en;

// `satisfies Catalog` makes a key missing in Japanese a compile error (see each area file too).
const ja = {
  lang: 'ja' as Lang,
  common: jaCommon,
  terms: jaTerms,
  registration: jaRegistration,
  account: jaAccount,
  guides: jaGuides,
  cardRenewal: jaCardRenewal,
  cardStep: jaCardStep,
  passkeys: jaPasskeys,
} satisfies Catalog;

// Easy Japanese: the same keys again (a missing one is a compile error naming it, as for ja);
// its readings markup `漢字{かんじ}` is compiled once here (see ./readings.ts).
const jaEasy = compileCatalog({
  lang: 'ja-easy' as Lang,
  common: easyCommon,
  terms: easyTerms,
  registration: easyRegistration,
  account: easyAccount,
  guides: easyGuides,
  cardRenewal: easyCardRenewal,
  cardStep: easyCardStep,
  passkeys: easyPasskeys,
} satisfies Catalog);

export const catalogs: Record<Lang, Catalog> = { en, ja, 'ja-easy': jaEasy };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Japanese and Easy Japanese share the Japanese conventions (place names, date order, separators). */
export function isJapanese(lang: Lang): boolean {
  return lang !== 'en';
}

/** The language of an email's second half: English for Japanese readers and the other way round;
 * standard Japanese for an Easy Japanese reader (the text a Japanese helper or the help desk reads). */
export function otherLang(lang: Lang): Lang {
  return lang === 'en' ? 'ja' : lang === 'ja' ? 'en' : 'ja';
}

/** The value for HTML lang attributes: Easy Japanese is Japanese to speech engines and axe. */
export function htmlLang(lang: Lang): 'ja' | 'en' {
  return lang === 'en' ? 'en' : 'ja';
}

/**
 * Picks ja or en from an Accept-Language header by quality. No header: Japanese, the system's own
 * language. A browser asking only for other languages gets English, which most applicants read
 * more easily than Japanese (the manual itself is bilingual).
 */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'ja';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = tag.split('-')[0];
    const lang = primary === 'ja' ? 'ja' : primary === 'en' ? 'en' : undefined;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'en';
}
