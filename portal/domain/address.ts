// Address in Japan: prefecture and municipality from the official list, and the street address.
import { hasForbiddenCharacters, normalizeText } from './normalize.ts';
import { err, ok, type Rule } from './result.ts';

export type MunicipalityError = 'required' | 'unknown';

/** The official list, as the flow knows it (the store loads it; tests pass a small one). */
export interface MunicipalityList {
  /** True when the municipality exists, belongs to the prefecture and may be chosen. */
  isSelectable(prefectureCode: string, municipalityCode: string): boolean;
}

export interface MunicipalityChoice {
  prefectureCode: string;
  municipalityCode: string;
}

export function parseMunicipality(
  prefectureCode: string,
  municipalityCode: string,
  list: MunicipalityList,
): Rule<MunicipalityChoice, MunicipalityError> {
  const p = prefectureCode.trim();
  const m = municipalityCode.trim();
  if (p === '' || m === '') return err('required');
  if (hasForbiddenCharacters(prefectureCode) || hasForbiddenCharacters(municipalityCode))
    return err('unknown');
  if (!/^\d{2}$/.test(p) || !/^\d{6}$/.test(m) || !list.isSelectable(p, m)) return err('unknown');
  return ok({ prefectureCode: p, municipalityCode: m });
}

/** Chosen for block, building and room on one line; the card's whole address field holds 200. */
export const STREET_ADDRESS_MAX = 100;
export type StreetAddressError = 'required' | 'too_long' | 'invalid_characters';

export function parseStreetAddress(input: string): Rule<string, StreetAddressError> {
  const v = normalizeText(input);
  if (v === '') return err('required');
  // The characters no field accepts (checked before normalising: a tab would pass as a space),
  // and private-use or unassigned code points, which no one can read back from an address.
  if (hasForbiddenCharacters(input) || /[\p{Co}\p{Cn}]/u.test(v)) return err('invalid_characters');
  if ([...v].length > STREET_ADDRESS_MAX) return err('too_long');
  return ok(v);
}

export interface Place {
  code: string;
  nameJa: string;
  nameEn: string;
  nameKana: string;
}

export interface Municipality extends Place {
  prefectureCode: string;
  /** County (郡) for towns and villages, to write the full address form. */
  countyJa: string | null;
  countyEn: string | null;
  /** The county's reading (katakana), for Easy Japanese; from the bundled list (not in the tables). */
  countyKana?: string | null;
}

/** The selectable list in memory, for the form's checks, the search and the STEP2 display. */
export class MunicipalityDirectory implements MunicipalityList {
  readonly prefectures: readonly Place[];
  readonly #byPrefecture: Map<string, Municipality[]>;
  readonly #byCode: Map<string, Municipality>;
  readonly #prefectureByCode: Map<string, Place>;

  constructor(prefectures: Place[], municipalities: Municipality[]) {
    this.prefectures = prefectures;
    this.#prefectureByCode = new Map(prefectures.map((p) => [p.code, p]));
    this.#byCode = new Map(municipalities.map((m) => [m.code, m]));
    this.#byPrefecture = new Map();
    for (const m of municipalities) {
      const list = this.#byPrefecture.get(m.prefectureCode) ?? [];
      list.push(m);
      this.#byPrefecture.set(m.prefectureCode, list);
    }
  }

  isSelectable(prefectureCode: string, municipalityCode: string): boolean {
    return this.#byCode.get(municipalityCode)?.prefectureCode === prefectureCode;
  }
  prefecture(code: string): Place | undefined {
    return this.#prefectureByCode.get(code);
  }
  municipality(code: string): Municipality | undefined {
    return this.#byCode.get(code);
  }
  /** Selectable municipalities of a prefecture, in code order. */
  inPrefecture(prefectureCode: string): readonly Municipality[] {
    return this.#byPrefecture.get(prefectureCode) ?? [];
  }
}
