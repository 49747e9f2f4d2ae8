// `npm run faults -- --quick` inside `npm test`: every fault scenario in short, and what an
// applicant must never see — lost registrations, two accounts, two emails, half-written rows,
// STEP3 without an account — asserted from the harness's JSON. The harness starts its own
// PostgreSQL, Redis and HAProxy (never the shared ones); without those programs the test is skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const pgBin = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
  : false;
const missing = [
  ...(have('haproxy') ? [] : ['haproxy']),
  ...(have('redis-server') ? [] : ['redis-server']),
  ...(pgBin ? [] : ['PostgreSQL server binaries']),
];

interface Row {
  scenario: string;
  attempted: number;
  completed: number;
  lost: number;
  duplicatedAccounts: number;
  emailsExpected: number;
  emailsDelivered: number;
  emailsDuplicated: number;
  halfWritten: number;
  step3WithoutUser: number;
  stackTraces: number;
  ok: boolean;
  notes: string[];
}

test('every fault scenario (quick): 0 lost, 0 duplicated accounts or emails, 0 half-written rows', {
  skip: missing.length ? `needs ${missing.join(', ')}` : false,
}, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ro-faults-test-'));
  const out = path.join(dir, 'faults.json');
  try {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/faults/run.ts', '--quick', '--concurrency', '4', '--out', out],
      { cwd: root, encoding: 'utf8', env: process.env, maxBuffer: 64 * 1024 * 1024 },
    );
    const tail = `${run.stdout.slice(-6000)}\n${run.stderr.slice(-3000)}`;
    assert.ok(existsSync(out), `the harness wrote no result:\n${tail}`);
    const rows = (JSON.parse(readFileSync(out, 'utf8')) as { rows: Row[] }).rows;
    assert.deepEqual(
      rows.map((r) => r.scenario),
      [
        'smtp-down',
        'pg-restart',
        'instance-kill',
        'worker-kill',
        'sigterm',
        'haproxy',
        'pglite-crash',
        'soak',
      ],
    );
    for (const r of rows) {
      const what = `${r.scenario}: ${r.notes.join(' | ')}`;
      assert.ok(r.attempted > 0 && r.completed > 0, `no registration completed — ${what}`);
      assert.equal(r.lost, 0, `lost — ${what}`);
      assert.equal(r.duplicatedAccounts, 0, `duplicated accounts — ${what}`);
      assert.equal(r.emailsDuplicated, 0, `duplicated emails — ${what}`);
      assert.equal(r.emailsDelivered, r.emailsExpected, `emails not delivered — ${what}`);
      assert.equal(r.halfWritten, 0, `half-written rows — ${what}`);
      assert.equal(r.step3WithoutUser, 0, `STEP3 without a user — ${what}`);
      assert.equal(r.stackTraces, 0, `a stack trace reached an applicant — ${what}`);
      assert.ok(r.ok, what);
    }
    assert.equal(run.status, 0, tail);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
