// The official prefecture/municipality list: loaded from portal/data/municipalities.json into
// the database at start (idempotent), then held in memory — it changes only with a new release.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { MunicipalityList } from '../domain/address.ts';
import type { Db } from './schema.ts';

const DATA_FILE = fileURLToPath(new URL('../data/municipalities.json', import.meta.url));
const DATA_NAME = 'municipalities.json';

interface MunicipalityJson {
  code: string;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  kind: string;
  selectable: boolean;
  parentCode?: string;
  countyJa?: string;
  countyKana?: string;
  countyEn?: string;
}
interface PrefectureJson {
  code: string;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  municipalities: MunicipalityJson[];
}

/**
 * Writes the bundled list into `prefectures` / `municipalities` unless the recorded SHA-256
 * already matches. Several instances starting at once serialise on an advisory lock.
 */
export async function seedMunicipalities(db: Db): Promise<boolean> {
  const bytes = readFileSync(DATA_FILE);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const current = await db
    .selectFrom('reference_data')
    .select('sha256')
    .where('name', '=', DATA_NAME)
    .executeTakeFirst();
  if (current?.sha256 === sha256) return false;
  const data = JSON.parse(bytes.toString('utf8')) as PrefectureJson[];
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(727275)`.execute(tx);
    const again = await tx
      .selectFrom('reference_data')
      .select('sha256')
      .where('name', '=', DATA_NAME)
      .executeTakeFirst();
    if (again?.sha256 === sha256) return false;
    await tx.deleteFrom('municipalities').execute();
    await tx.deleteFrom('prefectures').execute();
    await tx
      .insertInto('prefectures')
      .values(
        data.map((p) => ({ code: p.code, name_ja: p.nameJa, name_kana: p.nameKana, name_en: p.nameEn })),
      )
      .execute();
    const rows = data.flatMap((p) =>
      p.municipalities.map((m, i) => ({
        code: m.code,
        prefecture_code: p.code,
        name_ja: m.nameJa,
        name_kana: m.nameKana,
        name_en: m.nameEn,
        kind: m.kind,
        selectable: m.selectable,
        parent_code: m.parentCode ?? null,
        county_ja: m.countyJa ?? null,
        county_en: m.countyEn ?? null,
        sort_order: i,
      })),
    );
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('municipalities')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    await tx
      .insertInto('reference_data')
      .values({ name: DATA_NAME, sha256 })
      .onConflict((oc) => oc.column('name').doUpdateSet({ sha256, loaded_at: new Date() }))
      .execute();
    return true;
  });
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

/** County readings by municipality code, from the bundled list the tables were seeded from. */
function countyReadings(): Map<string, string> {
  const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as PrefectureJson[];
  const out = new Map<string, string>();
  for (const p of data) for (const m of p.municipalities) if (m.countyKana) out.set(m.code, m.countyKana);
  return out;
}

export async function loadMunicipalityDirectory(db: Db): Promise<MunicipalityDirectory> {
  const counties = countyReadings();
  const prefectures = await db
    .selectFrom('prefectures')
    .select(['code', 'name_ja', 'name_kana', 'name_en'])
    .orderBy('code')
    .execute();
  const municipalities = await db
    .selectFrom('municipalities')
    .select(['code', 'prefecture_code', 'name_ja', 'name_kana', 'name_en', 'county_ja', 'county_en'])
    .where('selectable', '=', true)
    .orderBy('prefecture_code')
    .orderBy('sort_order')
    .execute();
  return new MunicipalityDirectory(
    prefectures.map((p) => ({ code: p.code, nameJa: p.name_ja, nameKana: p.name_kana, nameEn: p.name_en })),
    municipalities.map((m) => ({
      code: m.code,
      prefectureCode: m.prefecture_code,
      nameJa: m.name_ja,
      nameKana: m.name_kana,
      nameEn: m.name_en,
      countyJa: m.county_ja,
      countyEn: m.county_en,
      countyKana: counties.get(m.code) ?? null,
    })),
  );
}
