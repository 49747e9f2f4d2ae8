// docs/security/asvs-l2.md stays complete and true to itself while statuses change: every
// ASVS 4.0.3 Level 2 item appears exactly once, the counts at the top match the tables, every
// "not met" has a plan and every "n/a" a reason, and each test it names exists and contains the
// named test (unless marked as arriving with a defect's fix).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '../../..');
const doc = readFileSync(join(root, 'docs/security/asvs-l2.md'), 'utf8');

/**
 * The Level 2 items of OWASP ASVS 4.0.3 (OWASP/ASVS, 4.0/docs_en/…4.0.3-en.csv: rows with a
 * Level 2 mark, deleted items left out). "1.1.1-7" stands for 1.1.1 to 1.1.7.
 */
const L2 = `
1.1.1-7 1.2.1-4 1.4.1 1.4.4-5 1.5.1-4 1.6.1-4 1.7.1-2 1.8.1-2 1.9.1-2 1.10.1 1.11.1-2 1.12.2 1.14.1-6
2.1.1-12 2.2.1-3 2.3.1-3 2.4.1-6 2.5.1-7 2.6.1-3 2.7.1-6 2.8.1-7 2.9.1-3 2.10.1-4
3.1.1 3.2.1-4 3.3.1-4 3.4.1-5 3.5.1-3 3.7.1
4.1.1-3 4.1.5 4.2.1-2 4.3.1-3
5.1.1-5 5.2.1-8 5.3.1-10 5.4.1-3 5.5.1-4
6.1.1-3 6.2.1-6 6.3.1-2 6.4.1-2
7.1.1-4 7.2.1-2 7.3.1 7.3.3-4 7.4.1-3
8.1.1-4 8.2.1-3 8.3.1-8
9.1.1-3 9.2.1-4
10.2.1-2 10.3.1-3
11.1.1-8
12.1.1-3 12.2.1 12.3.1-6 12.4.1-2 12.5.1-2 12.6.1
13.1.1 13.1.3-5 13.2.1-3 13.2.5-6 13.3.1-2 13.4.1-2
14.1.1-4 14.2.1-6 14.3.2-3 14.4.1-7 14.5.1-4
`
  .trim()
  .split(/\s+/)
  .flatMap((spec) => {
    const m = /^(\d+\.\d+)\.(\d+)(?:-(\d+))?$/.exec(spec);
    if (!m) throw new Error(`bad spec ${spec}`);
    const [, section, from, to] = m;
    const ids: string[] = [];
    for (let n = Number(from); n <= Number(to ?? from); n++) ids.push(`${section}.${n}`);
    return ids;
  });

interface Row {
  id: string;
  status: string;
  evidence: string;
  why: string;
}

const rows: Row[] = doc
  .split('\n')
  .filter((l) => /^\| \d+\.\d+\.\d+ \|/.test(l))
  .map((l) => {
    // Cells split at every pipe not escaped as \| (the table's own escape).
    const cells = l
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    assert.equal(cells.length, 5, `five cells: ${l}`);
    return { id: cells[0]!, status: cells[2]!, evidence: cells[3]!, why: cells[4]! };
  });

test('every ASVS 4.0.3 Level 2 item appears exactly once, in order', () => {
  assert.equal(L2.length, 260);
  assert.deepEqual(
    rows.map((r) => r.id),
    L2,
  );
});

test('statuses are met, n/a or not met, and the counts at the top match', () => {
  for (const r of rows) assert.ok(['met', 'n/a', 'not met'].includes(r.status), `${r.id}: "${r.status}"`);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const line = `**${rows.length} items: ${count('met')} met · ${count('n/a')} not applicable · ${count('not met')} not met.**`;
  assert.ok(doc.includes(line), `the counts line should read: ${line}`);
});

test('every "not met" has a reason and a plan; every "n/a" a reason', () => {
  for (const r of rows) {
    if (r.status === 'not met') assert.match(r.why, /Plan: \S/, `${r.id} has no plan`);
    if (r.status === 'n/a') assert.ok(r.why.length > 5, `${r.id} says not why it does not apply`);
  }
});

/** Checks each `test/….test.ts › "name"` of a line: the file exists and holds the test. */
function checkNamedTests(where: string, text: string): void {
  // A file path, optionally marked as arriving with a defect's fix, then any › "test name".
  const re = /(test\/[\w./-]+\.test\.ts)( \*\(defects? [\d, ]+\)\*)?|› "([^"]+)"/g;
  let file: string | undefined;
  let pending = false;
  for (const m of text.matchAll(re)) {
    if (m[1]) {
      file = m[1];
      // A file named before a "(defect N)" mark later in the same cell is pending too.
      pending =
        Boolean(m[2]) ||
        new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^|›]*\\*\\(defects? `).test(text);
      if (!pending) assert.ok(existsSync(join(root, file)), `${where}: ${file} does not exist`);
    } else if (m[3] && file && !pending) {
      const source = readFileSync(join(root, file), 'utf8');
      assert.ok(source.includes(m[3]), `${where}: ${file} has no test "${m[3]}"`);
    }
  }
}

test('each named test file exists and holds the named test (unless it arrives with a fix)', () => {
  for (const r of rows) checkNamedTests(r.id, `${r.evidence} | ${r.why}`);
});

test('the threat model names only tests that exist', () => {
  const model = readFileSync(join(root, 'docs/security/threat-model.md'), 'utf8');
  const threats = model.split('\n').filter((l) => /^\| T-\d+ \|/.test(l));
  assert.ok(threats.length >= 30, `threat rows found: ${threats.length}`);
  for (const line of threats) checkNamedTests(line.split('|')[1]!.trim(), line);
});
