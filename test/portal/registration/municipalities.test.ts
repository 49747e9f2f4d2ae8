import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { loadMunicipalityDirectory, seedMunicipalities } from '../../../portal/store/municipalities.ts';
import { openTestDatabase } from '../../helpers/db.ts';

const file = new URL('../../../portal/data/municipalities.json', import.meta.url);

test('the bundled list is the documented file (portal/data/README.md)', () => {
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  assert.equal(sha, '1cc3bc9e062e776269e5b08b6135ad69a6a5683be4eca0802527f4c3b30c648b');
  assert.ok(readFileSync(new URL('../../../portal/data/README.md', import.meta.url), 'utf8').includes(sha));
});

let h: DatabaseHandle;
before(async () => {
  h = await openTestDatabase('pglite');
});
after(() => h.close());

test('seeding is idempotent and offers only selectable entries', async () => {
  assert.equal(await seedMunicipalities(h.db), true);
  assert.equal(await seedMunicipalities(h.db), false);
  const count = await h.db
    .selectFrom('municipalities')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 1918);
  const dir = await loadMunicipalityDirectory(h.db);
  assert.equal(dir.prefectures.length, 47);
  assert.equal(
    dir.prefectures.reduce((n, p) => n + dir.inPrefecture(p.code).length, 0),
    1892,
  );
  assert.ok(dir.isSelectable('13', '131041'));
  assert.ok(!dir.isSelectable('01', '011002'), 'designated city as a whole');
  assert.ok(!dir.isSelectable('01', '016951'), 'Northern Territories');
  assert.ok(!dir.isSelectable('27', '131041'), 'wrong prefecture');
});
