// The official prefecture/municipality list: loaded from portal/data/municipalities.json into
// the database at start (idempotent), then held in memory — it changes only with a new release.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { MunicipalityDirectory } from '../domain/address.ts';
import { camel } from './rows.ts';
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

const PREFECTURE_COLUMNS = ['code', 'name_ja', 'name_kana', 'name_en'] as const;
const MUNICIPALITY_COLUMNS = [
  'code',
  'prefecture_code',
  'name_ja',
  'name_kana',
  'name_en',
  'county_ja',
  'county_en',
] as const;

export { type Municipality, MunicipalityDirectory, type Place } from '../domain/address.ts';

/** County readings by municipality code, from the bundled list the tables were seeded from. */
function countyReadings(): Map<string, string> {
  const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as PrefectureJson[];
  const out = new Map<string, string>();
  for (const p of data) for (const m of p.municipalities) if (m.countyKana) out.set(m.code, m.countyKana);
  return out;
}

/**
 * The selectable list straight from the bundled file, as loadMunicipalityDirectory gives it from
 * the tables: for benchmarks and tests that render pages without a database.
 */
export function bundledDirectory(): MunicipalityDirectory {
  const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as PrefectureJson[];
  return new MunicipalityDirectory(
    data.map(({ code, nameJa, nameKana, nameEn }) => ({ code, nameJa, nameKana, nameEn })),
    data.flatMap((p) =>
      p.municipalities
        .filter((m) => m.selectable)
        .map((m) => ({
          code: m.code,
          prefectureCode: p.code,
          nameJa: m.nameJa,
          nameKana: m.nameKana,
          nameEn: m.nameEn,
          countyJa: m.countyJa ?? null,
          countyEn: m.countyEn ?? null,
          countyKana: m.countyKana ?? null,
        })),
    ),
  );
}

export async function loadMunicipalityDirectory(db: Db): Promise<MunicipalityDirectory> {
  const counties = countyReadings();
  const prefectures = await db.selectFrom('prefectures').select(PREFECTURE_COLUMNS).orderBy('code').execute();
  const municipalities = await db
    .selectFrom('municipalities')
    .select(MUNICIPALITY_COLUMNS)
    .where('selectable', '=', true)
    .orderBy('prefecture_code')
    .orderBy('sort_order')
    .execute();
  return new MunicipalityDirectory(
    prefectures.map(camel),
    municipalities.map((m) => ({ ...camel(m), countyKana: counties.get(m.code) ?? null })),
  );
}
