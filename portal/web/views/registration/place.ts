// How a chosen municipality is written in each language.

import { hiragana, ruby } from '../../../../design/readings.ts';
import type { Municipality, MunicipalityDirectory, Place } from '../../../domain/address.ts';
import { isJapanese, type Lang } from '../../../i18n/index.ts';

/** The Japanese name; in Easy Japanese with the data set's reading over it. */
function jaName(place: Place, lang: Lang): string {
  return lang === 'ja-easy' && place.nameKana ? ruby(place.nameJa, hiragana(place.nameKana)) : place.nameJa;
}

/** The county (郡) of a town or village, in Easy Japanese with its reading. */
function county(m: Municipality, lang: Lang): string {
  if (!m.countyJa) return '';
  return lang === 'ja-easy' && m.countyKana ? ruby(m.countyJa, hiragana(m.countyKana)) : m.countyJa;
}

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
  if (isJapanese(lang)) return `${jaName(p, lang)}${county(m, lang)}${jaName(m, lang)}`;
  return [m.nameEn, m.countyEn, p.nameEn].filter(Boolean).join(', ');
}

export function municipalityName(dir: MunicipalityDirectory, lang: Lang, code: string): string {
  const m = dir.municipality(code);
  if (!m) return '';
  return isJapanese(lang)
    ? `${county(m, lang)}${jaName(m, lang)}`
    : [m.nameEn, m.countyEn].filter(Boolean).join(', ');
}

export const prefectureName = (dir: MunicipalityDirectory, lang: Lang, code: string): string => {
  const p = dir.prefecture(code);
  return p ? (isJapanese(lang) ? jaName(p, lang) : p.nameEn) : '';
};
