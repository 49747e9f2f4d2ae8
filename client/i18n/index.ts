import type { Lang } from '../binding.ts';
import { type Catalog, en } from './en.ts';
import { ja } from './ja.ts';

export type { Catalog };
export const LANGS: readonly Lang[] = ['ja', 'en'];
export const catalogs: Record<Lang, Catalog> = { en, ja };

export function isLang(v: unknown): v is Lang {
  return v === 'ja' || v === 'en';
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
