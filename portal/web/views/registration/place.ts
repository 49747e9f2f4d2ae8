// How a chosen municipality is written in each language.

import type { MunicipalityDirectory } from '../../../domain/address.ts';
import type { Lang } from '../../../i18n/index.ts';

/** 東京都新宿区 / Shinjuku-ku, Tokyo; towns in a county carry it (空知郡南富良野町). */
export function placeName(
  dir: MunicipalityDirectory,
  lang: Lang,
  prefectureCode: string,
  code: string,
): string {
  const p = dir.prefecture(prefectureCode);
  const m = dir.municipality(code);
  if (!p || !m || m.prefectureCode !== p.code) return '';
  if (lang === 'ja') return `${p.nameJa}${m.countyJa ?? ''}${m.nameJa}`;
  return [m.nameEn, m.countyEn, p.nameEn].filter(Boolean).join(', ');
}

export function municipalityName(dir: MunicipalityDirectory, lang: Lang, code: string): string {
  const m = dir.municipality(code);
  if (!m) return '';
  return lang === 'ja' ? `${m.countyJa ?? ''}${m.nameJa}` : [m.nameEn, m.countyEn].filter(Boolean).join(', ');
}

export const prefectureName = (dir: MunicipalityDirectory, lang: Lang, code: string): string => {
  const p = dir.prefecture(code);
  return p ? (lang === 'ja' ? p.nameJa : p.nameEn) : '';
};
