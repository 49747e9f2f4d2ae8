// `npm run db:types`: migrates a fresh in-memory PGlite and writes the Kysely table types the
// migrations give to portal/store/tables/generated.ts. `--check` writes nothing and fails when the
// file differs (run by `npm run check`). docs/decisions/0820-schema-from-migrations.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaTypes } from '../portal/store/schema-types.ts';
import { openTestPglite } from '../test/helpers/db.ts';

const file = fileURLToPath(new URL('../portal/store/tables/generated.ts', import.meta.url));
const check = process.argv.includes('--check');

// The test template (a dump of a freshly migrated PGlite, cached by the migrations' hash) saves initdb.
const handle = await openTestPglite();
try {
  const text = await schemaTypes(handle.db);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (check) {
    if (current !== text) {
      console.error('portal/store/tables/generated.ts differs from the migrations: run `npm run db:types`');
      process.exitCode = 1;
    }
  } else if (current !== text) {
    writeFileSync(file, text);
    console.log('portal/store/tables/generated.ts written');
  } else console.log('portal/store/tables/generated.ts is up to date');
} finally {
  await handle.close();
}
