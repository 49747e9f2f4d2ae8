import { compileCatalog } from '../../design/readings.ts';
import type { Lang } from '../binding.ts';
import { type Catalog, en } from './en.ts';
import { ja } from './ja.ts';
import { jaEasy } from './ja-easy.ts';

export type { Catalog };
/** Easy Japanese (ja-easy) comes from the website's `lang` or the switch; no browser asks for it. */
export const LANGS: readonly Lang[] = ['ja', 'ja-easy', 'en'];
export const catalogs: Record<Lang, Catalog> = { en, ja, 'ja-easy': compileCatalog(jaEasy as Catalog) };

export function isLang(v: unknown): v is Lang {
  return v === 'ja' || v === 'en' || v === 'ja-easy';
}

/** The HTML lang attribute: Easy Japanese is Japanese to speech engines and axe. */
export function htmlLang(lang: Lang): 'ja' | 'en' {
  return lang === 'en' ? 'en' : 'ja';
}

/** ja unless the browser prefers English (the portal's own rule, simplified: first match wins). */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const primary = part.trim().split(/[;-]/)[0];
    if (primary === 'ja') return 'ja';
    if (primary === 'en') return 'en';
  }
  return 'ja';
}
