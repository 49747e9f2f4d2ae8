// How a chosen municipality is written in each language.
import { isJapanese, type Lang } from '../../../i18n/index.ts';
import { ruby } from '../../../i18n/readings.ts';
import type { MunicipalityDirectory, Place } from '../../../store/municipalities.ts';

/** カタカナ → ひらがな (the data set gives readings in katakana). */
const hiragana = (kana: string) =>
  kana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

/** The Japanese name; in Easy Japanese with the data set's reading over it. */
function jaName(place: Place, lang: Lang): string {
  return lang === 'ja-easy' && place.nameKana ? ruby(place.nameJa, hiragana(place.nameKana)) : place.nameJa;
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
  if (isJapanese(lang)) return `${jaName(p, lang)}${m.countyJa ?? ''}${jaName(m, lang)}`;
  return [m.nameEn, m.countyEn, p.nameEn].filter(Boolean).join(', ');
}

export function municipalityName(dir: MunicipalityDirectory, lang: Lang, code: string): string {
  const m = dir.municipality(code);
  if (!m) return '';
  return isJapanese(lang)
    ? `${m.countyJa ?? ''}${jaName(m, lang)}`
    : [m.nameEn, m.countyEn].filter(Boolean).join(', ');
}

export const prefectureName = (dir: MunicipalityDirectory, lang: Lang, code: string): string => {
  const p = dir.prefecture(code);
  return p ? (isJapanese(lang) ? jaName(p, lang) : p.nameEn) : '';
};
