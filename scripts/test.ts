// `npm test`: every *.test.ts under test/, with node's test runner.
// Prepares the PGlite template once (initdb takes seconds) before the files run in parallel.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { openTestPglite } from '../test/helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return find(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = find(path.join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const template = await openTestPglite();
await template.close();

console.log(
  `running ${files.length} test files; PostgreSQL tests: ${process.env.TEST_DATABASE_URL ? 'on' : 'off (set TEST_DATABASE_URL)'}`,
);
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    ...files.map((f) => path.relative(root, f)),
  ],
  { stdio: 'inherit', cwd: root, env: process.env },
);
process.exit(result.status ?? 1);
