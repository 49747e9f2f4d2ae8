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

export const LANGS = ['ja', 'en'] as const;
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

export const catalogs: Record<Lang, Catalog> = { en, ja };

export function isLang(value: unknown): value is Lang {
  return value === 'ja' || value === 'en';
}

export function otherLang(lang: Lang): Lang {
  return lang === 'ja' ? 'en' : 'ja';
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
