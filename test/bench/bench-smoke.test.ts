// The benchmark harness's pure parts: percentiles, /proc parsing, the ratio table, form reading.
// No timing assertions: the benchmark itself is `npm run bench`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSubmission, linkedAssets, parseForms } from '../../bench/lib/html.ts';
import { applySetCookie } from '../../bench/lib/http.ts';
import { StatementCounter } from '../../bench/lib/pg-proxy.ts';
import { parseProcStat, parseVmRss, snapshotOf, ticksBetween, ticksToMs } from '../../bench/lib/proc.ts';
import { ownerOf, summarizeProfile } from '../../bench/lib/profile.ts';
import { type BenchResult, formatTable, ratio, stepRows, targets } from '../../bench/lib/report.ts';
import { percentile, StepRecorder, summarize } from '../../bench/lib/stats.ts';

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 95), 95);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile(xs, 100), 100);
    assert.equal(percentile(xs, 0), 1);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('summarizes unsorted samples', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    assert.deepEqual(
      { count: s.count, mean: s.mean, p50: s.p50, max: s.max },
      { count: 5, mean: 3, p50: 3, max: 5 },
    );
  });

  it('records per step and drops samples while not recording', () => {
    const r = new StepRecorder();
    r.add('GET /', 1);
    r.recording = false;
    r.add('GET /', 100);
    r.recording = true;
    r.add('POST /x', 2);
    assert.deepEqual(r.steps(), ['GET /', 'POST /x']);
    assert.equal(r.count(), 2);
    assert.equal(r.summary()['GET /']?.max, 1);
  });
});

describe('/proc parsing', () => {
  // A real line's shape, with a command name holding a space and a parenthesis.
  const line =
    '4242 (node (x) y) S 4200 4242 4200 0 -1 4194560 5000 0 0 0 1234 567 89 10 20 0 11 0 98765 1000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

  it('reads utime, stime, cutime, cstime, ppid and starttime after the last parenthesis', () => {
    const s = parseProcStat(line);
    assert.equal(s.pid, 4242);
    assert.equal(s.comm, 'node (x) y');
    assert.equal(s.state, 'S');
    assert.equal(s.ppid, 4200);
    assert.equal(s.utime, 1234);
    assert.equal(s.stime, 567);
    assert.equal(s.cutime, 89);
    assert.equal(s.cstime, 10);
    assert.equal(s.starttime, 98765);
  });

  it('converts clock ticks to ms', () => {
    assert.equal(ticksToMs(250, 100), 2500);
    assert.equal(ticksToMs(1, 1000), 1);
  });

  it('reads VmRSS in bytes', () => {
    assert.equal(
      parseVmRss('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  176128 kB\nThreads: 11\n'),
      176128 * 1024,
    );
    assert.equal(parseVmRss('Name:\tzombie\n'), undefined);
  });

  it('sums ticks between snapshots, counting new processes whole and telling reused pids apart', () => {
    const stat = (pid: number, start: number, u: number, s: number) =>
      parseProcStat(`${pid} (postgres) S 1 1 1 0 -1 0 0 0 0 0 ${u} ${s} 0 0 20 0 1 0 ${start} 0 0`);
    const a = snapshotOf([stat(10, 100, 5, 5), stat(11, 100, 1, 0)]);
    const b = snapshotOf([stat(10, 100, 8, 6), stat(12, 300, 2, 2), stat(11, 500, 3, 0)]);
    // pid 10: +4; pid 12 new: 4; pid 11 reused (new start time): 3.
    assert.equal(ticksBetween(a, b), 11);
  });
});

describe('report', () => {
  it('prints ratios to the baseline', () => {
    assert.equal(ratio(50, 100), '×0.50');
    assert.equal(ratio(2500, 10), '×250');
    assert.equal(ratio(12.34, 1), '×12.3');
    assert.equal(ratio(1, 1000), '×0.0010');
    assert.equal(ratio(1, 0), '—');
    assert.equal(ratio(undefined, 1), '—');
  });

  it('aligns a table under a rule', () => {
    const t = formatTable([
      ['a', 'bb'],
      ['ccc', 'd'],
    ]).split('\n');
    assert.deepEqual(t, ['a    bb', '───  ──', 'ccc   d']);
  });

  it('gives each step its percentiles and ratios', () => {
    const base = summarize([1, 1, 1, 2]);
    const rows = stepRows({ 'GET /': summarize([2, 2, 2, 4]) }, base);
    assert.deepEqual(rows[1], ['GET /', '4', '2.00', '4.00', '4.00', '4.0', '×2.00', '×2.00']);
    const withDb = stepRows({ 'GET /': summarize([2, 2, 2, 4]) }, base, summarize([1, 1, 2, 2]));
    assert.deepEqual(withDb[0]?.slice(-2), ['p50 ×DB', 'p99 ×DB']);
    assert.deepEqual(withDb[1]?.slice(-2), ['×2.00', '×2.00']);
  });

  it("says met / not met for each of issue 14's targets against the baselines of the same run", () => {
    const lat = summarize([1, 2, 3]);
    const step = (p99: number) => ({ ...lat, p99 });
    const r: BenchResult = {
      at: '',
      machine: { cpus: 2, model: '', node: '', load1AtStart: 0, load1AtEnd: 0 },
      settings: { db: 'postgres', concurrency: 64 },
      baseline: { requestsPerSecond: 1000, latency: lat, cpuMsPerRequest: 0.1, rssBytes: 1 },
      portalIdleRssBytes: 130 * 1048576,
      portalRssBytes: 150 * 1048576,
      pages: [],
      targets: [],
      notes: [],
      registration: {
        durationS: 10,
        completed: 10,
        equivalents: 10,
        perSecond: 1,
        requests: 100,
        requestsPerSecond: 10,
        errors: [],
        steps: { 'GET /': step(20), 'POST /x': step(60) },
        portalCpuMs: 50, // 0.5 ms per request: ×5
        workerCpuMs: 0,
        pgCpuMs: 20,
        dbPerIteration: { xact_commit: 4 },
        emailsDelivered: 10,
        smtpConnections: 1,
        outboxDrainMs: 0,
        registrationsTotal: 10,
        duplicateEmails: 0,
        portalCpuMsPerRegistration: 5,
        emailsInWindow: 10,
        mailCpuMsPerEmail: 2, // ×20
        workerCpuMsPerRegistration: 0,
        pgCpuMsPerRegistration: 2,
      },
    };
    const met = Object.fromEntries(targets(r).map((x) => [x.name, x.met]));
    assert.equal(met['portal CPU per request (registration mix)'], true);
    assert.equal(met['outbox CPU per email'], false);
    assert.equal(met['PostgreSQL CPU per registration'], false);
    assert.equal(met['transactions per registration'], true);
    assert.equal(met['p99 of every step (64 applicants)'], false);
    assert.equal(met['portal RSS after the run (postgres)'], true);
    assert.equal(met['portal RSS idle after start'], false);
  });
});

describe('harness helpers', () => {
  it('counts a prepared statement each time it is bound, and a simple query once', () => {
    const c = new StatementCounter();
    const conn = new Map<string, string>();
    const z = (...parts: string[]) => Buffer.from(parts.map((p) => `${p}\0`).join(''));
    c.record('P', z('ro_0', 'select 1 where x = $1'), conn);
    c.record('B', z('', 'ro_0'), conn);
    c.record('B', z('', 'ro_0'), conn);
    c.record('Q', z('begin'), conn);
    assert.equal(c.total, 3);
    assert.equal(c.counts.get('select ? where x = $?'), 2);
  });

  it('reads forms as a browser submits them', () => {
    const html = `<form method="post" action="/registration/step1"><input type="hidden" name="_csrf" value="a&amp;b">
      <input name="userName" value="X"><input type="radio" name="sex" value="male"><input type="radio" name="sex" value="female" checked>
      <input type="checkbox" name="termsAgreed" value="yes"><select name="userCategory"><option value="">-</option><option value="spouse" selected>S</option></select>
      <button type="submit" name="_action" value="confirm">OK</button></form>`;
    const [f] = parseForms(html);
    assert.equal(f?.action, '/registration/step1');
    assert.deepEqual(defaultSubmission(f!), [
      ['_csrf', 'a&b'],
      ['userName', 'X'],
      ['sex', 'female'],
      ['userCategory', 'spouse'],
    ]);
    assert.deepEqual(f?.buttons, [{ name: '_action', value: 'confirm', label: 'OK' }]);
  });

  it('finds linked stylesheets and scripts', () => {
    const a = linkedAssets(
      '<link rel="stylesheet" href="/assets/a.css"><link rel="icon" href="/i.png"><script src="/assets/b.js" defer></script>',
    );
    assert.deepEqual(a, { css: ['/assets/a.css'], js: ['/assets/b.js'] });
  });

  it('keeps a cookie jar', () => {
    const jar = new Map<string, string>();
    applySetCookie(jar, ['sid=abc; Path=/; HttpOnly; SameSite=Lax', 'lang=en; Path=/']);
    applySetCookie(jar, ['lang=; Max-Age=0; Path=/']);
    assert.deepEqual([...jar], [['sid', 'abc']]);
  });

  it('groups profile self time by package and function', () => {
    assert.equal(ownerOf('file:///w/node_modules/@peculiar/x509/build/x.js'), '@peculiar/x509');
    assert.equal(ownerOf('file:///w/portal/identity/verify-token.ts'), 'portal/identity');
    const p = summarizeProfile({
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
        {
          id: 2,
          callFrame: { functionName: 'verify', url: 'file:///w/portal/identity/v.ts', lineNumber: 9 },
        },
      ],
      samples: [1, 2, 2],
      timeDeltas: [5000, 1000, 3000],
      startTime: 0,
      endTime: 9000,
    });
    assert.equal(p.totalMs, 4);
    assert.deepEqual(p.owners[0], { name: 'portal/identity', ms: 4, share: 1 });
  });
});
