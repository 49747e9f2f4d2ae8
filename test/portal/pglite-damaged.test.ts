// After a crash that damaged the embedded database's files, `npm start` says so plainly: which
// directory, what to keep, what to do — not a WebAssembly stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

test('a damaged PGlite data directory: the portal stops with a clear message (exit 2)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ro-pglite-damaged-'));
  try {
    const pglite = path.join(dir, 'pglite');
    mkdirSync(path.join(pglite, 'global'), { recursive: true });
    writeFileSync(path.join(pglite, 'PG_VERSION'), '99\n');
    writeFileSync(path.join(pglite, 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'portal/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: '3999', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`the embedded database in ${pglite.replace(/[/.]/g, '\\$&')} cannot be opened`),
    );
    assert.match(run.stderr, /may be damaged/);
    assert.match(run.stderr, /Keep a copy of .* before anything else/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
