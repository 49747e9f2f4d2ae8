// The result record, its table on stdout, and ratios to the hello-world baseline. Pure.
import type { Summary } from './stats.ts';

export interface PageWeight {
  page: string;
  html: number;
  css: number;
  js: number;
  total: number;
  gzipTotal: number;
  assets: string[];
}

export interface ScenarioResult {
  durationS: number;
  completed: number;
  /** Requests in the window ÷ requests of one iteration: the denominator of every per-iteration figure. */
  equivalents: number;
  perSecond: number;
  requests: number;
  requestsPerSecond: number;
  errors: { step: string; status: number; message: string }[];
  steps: Record<string, Summary>;
  portalCpuMs: number;
  /** Outbox worker in its own process (--worker separate), else 0. */
  workerCpuMs: number;
  pgCpuMs?: number;
  pgServerCpuMs?: number;
  /** pg_stat_database deltas over the window, per completed iteration. */
  dbPerIteration?: Record<string, number>;
}

export interface Baseline {
  requestsPerSecond: number;
  latency: Summary;
  cpuMsPerRequest: number;
  rssBytes: number;
}

export interface BenchResult {
  at: string;
  machine: { cpus: number; model: string; node: string; load1AtStart: number; load1AtEnd: number };
  settings: Record<string, string | number | boolean>;
  baseline: Baseline;
  /** A bare Fastify route: one parameterised SELECT over the same pool, rendered (PostgreSQL only). */
  dbBaseline?: Baseline;
  /** Portal RSS once started and migrated, before any load. */
  portalIdleRssBytes?: number;
  registration?: ScenarioResult & {
    emailsDelivered: number;
    smtpConnections: number;
    /** From the end of the window until the last email reached the sink. */
    outboxDrainMs: number;
    registrationsTotal: number;
    duplicateEmails: number;
    portalCpuMsPerRegistration: number;
    emailsInWindow: number;
    /** Portal (+ worker) CPU per email while only the outbox ran (after the window). */
    mailCpuMsPerEmail?: number;
    /** Window CPU without the emails sent in it, per registration, plus one email. */
    portalCpuMsPerCompleteRegistration?: number;
    workerCpuMsPerRegistration: number;
    pgCpuMsPerRegistration?: number;
    pgServerCpuMsPerRegistration?: number;
  };
  signin?: ScenarioResult & {
    argon2: { algorithm: string; memoryKiB: number; iterations: number; parallelism: number };
    portalCpuMsPerSignin: number;
    pgCpuMsPerSignin?: number;
  };
  portalRssBytes: number;
  pages: PageWeight[];
  targets: { name: string; target: string; value: string; met: boolean }[];
  notes: string[];
}

/** value ÷ base, printed as "×0.12"; "—" when either is missing. */
export function ratio(value: number | undefined, base: number | undefined): string {
  if (
    value === undefined ||
    base === undefined ||
    !Number.isFinite(value) ||
    !Number.isFinite(base) ||
    base === 0
  )
    return '—';
  const r = value / base;
  return `×${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}`;
}

export function fmt(n: number | undefined, digits = 1): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  return n.toFixed(digits);
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Left-aligned first column, right-aligned others, a rule under the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...c].length);
    });
  }
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const [head, ...rest] = rows;
  if (!head) return '';
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rest.map(line)].join('\n');
}

/** The main table: every figure with its ratio to the hello-world baseline where one exists. */
export function summaryRows(r: BenchResult): string[][] {
  const b = r.baseline;
  const d = r.dbBaseline;
  const rows: string[][] = [['figure', 'value', '× hello world']];
  rows.push(['hello world: requests/s', fmt(b.requestsPerSecond, 0), '×1']);
  rows.push(['hello world: p50 / p99 ms', `${fmt(b.latency.p50, 2)} / ${fmt(b.latency.p99, 2)}`, '×1']);
  rows.push(['hello world: CPU ms/request', fmt(b.cpuMsPerRequest, 3), '×1']);
  if (d) {
    rows.push([
      'DB page: requests/s',
      fmt(d.requestsPerSecond, 0),
      ratio(d.requestsPerSecond, b.requestsPerSecond),
    ]);
    rows.push([
      'DB page: p50 / p99 ms',
      `${fmt(d.latency.p50, 2)} / ${fmt(d.latency.p99, 2)}`,
      ratio(d.latency.p99, b.latency.p99),
    ]);
    rows.push([
      'DB page: CPU ms/request',
      fmt(d.cpuMsPerRequest, 3),
      ratio(d.cpuMsPerRequest, b.cpuMsPerRequest),
    ]);
  }
  const reg = r.registration;
  if (reg) {
    rows.push(['registrations/s', fmt(reg.perSecond, 1), ratio(reg.perSecond, b.requestsPerSecond)]);
    rows.push([
      'requests/s (registration)',
      fmt(reg.requestsPerSecond, 0),
      ratio(reg.requestsPerSecond, b.requestsPerSecond),
    ]);
    rows.push(['errors', String(reg.errors.length), '—']);
    rows.push([
      'emails delivered / registrations',
      `${reg.emailsDelivered} / ${reg.registrationsTotal}`,
      '—',
    ]);
    rows.push(['outbox drained after the window', `${fmt(reg.outboxDrainMs / 1000, 1)} s`, '—']);
    rows.push([
      'portal CPU ms/registration',
      fmt(reg.portalCpuMsPerRegistration, 2),
      ratio(reg.portalCpuMsPerRegistration, b.cpuMsPerRequest),
    ]);
    if (reg.workerCpuMsPerRegistration > 0)
      rows.push([
        'outbox worker CPU ms/registration',
        fmt(reg.workerCpuMsPerRegistration, 2),
        ratio(reg.workerCpuMsPerRegistration, b.cpuMsPerRequest),
      ]);
    if (reg.mailCpuMsPerEmail !== undefined) {
      rows.push([
        'outbox CPU ms/email (after the window)',
        fmt(reg.mailCpuMsPerEmail, 2),
        ratio(reg.mailCpuMsPerEmail, b.cpuMsPerRequest),
      ]);
      rows.push([
        'portal CPU ms/complete registration',
        fmt(reg.portalCpuMsPerCompleteRegistration, 2),
        ratio(reg.portalCpuMsPerCompleteRegistration, b.cpuMsPerRequest),
      ]);
    }
    rows.push([
      'portal CPU ms/request',
      fmt(reg.portalCpuMs / Math.max(1, reg.requests), 3),
      ratio(reg.portalCpuMs / Math.max(1, reg.requests), b.cpuMsPerRequest),
    ]);
    if (reg.pgCpuMsPerRegistration !== undefined) {
      rows.push([
        'PostgreSQL CPU ms/registration',
        fmt(reg.pgCpuMsPerRegistration, 2),
        ratio(reg.pgCpuMsPerRegistration, b.cpuMsPerRequest),
      ]);
      rows.push([
        '  (whole server, incl. others)',
        fmt(reg.pgServerCpuMsPerRegistration, 2),
        ratio(reg.pgServerCpuMsPerRegistration, b.cpuMsPerRequest),
      ]);
    }
  }
  const si = r.signin;
  if (si) {
    rows.push(['sign-ins/s', fmt(si.perSecond, 1), ratio(si.perSecond, b.requestsPerSecond)]);
    rows.push(['sign-in errors', String(si.errors.length), '—']);
    rows.push([
      'portal CPU ms/sign-in',
      fmt(si.portalCpuMsPerSignin, 2),
      ratio(si.portalCpuMsPerSignin, b.cpuMsPerRequest),
    ]);
    if (si.pgCpuMsPerSignin !== undefined)
      rows.push([
        'PostgreSQL CPU ms/sign-in',
        fmt(si.pgCpuMsPerSignin, 2),
        ratio(si.pgCpuMsPerSignin, b.cpuMsPerRequest),
      ]);
  }
  if (r.portalIdleRssBytes)
    rows.push([
      'portal RSS idle after start',
      `${fmt(r.portalIdleRssBytes / 1048576, 0)} MB`,
      ratio(r.portalIdleRssBytes, b.rssBytes),
    ]);
  rows.push([
    'portal RSS at end',
    `${fmt(r.portalRssBytes / 1048576, 0)} MB`,
    ratio(r.portalRssBytes, b.rssBytes),
  ]);
  return rows;
}

/** Each step's latency, with its ratio to hello world and (when measured) to the DB page. */
export function stepRows(steps: Record<string, Summary>, base: Summary, db?: Summary): string[][] {
  const head = ['step', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'p50 ×hw', 'p99 ×hw'];
  const rows: string[][] = [db ? [...head, 'p50 ×DB', 'p99 ×DB'] : head];
  for (const [name, s] of Object.entries(steps)) {
    const row = [
      name,
      String(s.count),
      fmt(s.p50, 2),
      fmt(s.p95, 2),
      fmt(s.p99, 2),
      fmt(s.max, 1),
      ratio(s.p50, base.p50),
      ratio(s.p99, base.p99),
    ];
    rows.push(db ? [...row, ratio(s.p50, db.p50), ratio(s.p99, db.p99)] : row);
  }
  return rows;
}

export function pageRows(pages: readonly PageWeight[], budget: number): string[][] {
  const rows: string[][] = [['page', 'HTML', 'CSS', 'JS', 'total', 'gzip', 'of budget']];
  for (const p of pages) {
    rows.push([
      p.page,
      kb(p.html),
      kb(p.css),
      kb(p.js),
      kb(p.total),
      kb(p.gzipTotal),
      ratio(p.total, budget),
    ]);
  }
  return rows;
}

/** The targets of issue 14 (ratios to the baselines of the same run) and the standing ones. */
export function targets(r: BenchResult): BenchResult['targets'] {
  const t: BenchResult['targets'] = [];
  const hw = r.baseline.cpuMsPerRequest;
  const mb = (bytes: number) => `${fmt(bytes / 1048576, 0)} MB`;
  const times = (v: number) => `${fmt(v, 2)} ms (×${fmt(v / hw, 1)} hello world)`;
  const reg = r.registration;
  if (reg) {
    const perRequest = reg.portalCpuMs / Math.max(1, reg.requests);
    t.push({
      name: 'portal CPU per request (registration mix)',
      target: '≤ ×6 hello world',
      value: times(perRequest),
      met: perRequest <= 6 * hw,
    });
    if (reg.mailCpuMsPerEmail !== undefined)
      t.push({
        name: 'outbox CPU per email',
        target: '≤ ×15 hello world',
        value: times(reg.mailCpuMsPerEmail),
        met: reg.mailCpuMsPerEmail <= 15 * hw,
      });
    if (reg.pgCpuMsPerRegistration !== undefined)
      t.push({
        name: 'PostgreSQL CPU per registration',
        target: '≤ 1.5 ms',
        value: `${fmt(reg.pgCpuMsPerRegistration, 2)} ms`,
        met: reg.pgCpuMsPerRegistration <= 1.5,
      });
    const xacts = reg.dbPerIteration?.xact_commit;
    if (xacts !== undefined)
      t.push({
        name: 'transactions per registration',
        target: '≤ 4',
        value: fmt(xacts, 1),
        met: xacts <= 4.05,
      });
    const worst = Object.entries(reg.steps).sort((a, b) => b[1].p99 - a[1].p99)[0];
    t.push({
      name: `p99 of every step (${r.settings.concurrency} applicants)`,
      target: '< 50 ms',
      value: worst ? `${fmt(worst[1].p99, 1)} ms (${worst[0]})` : '—',
      met: worst !== undefined && worst[1].p99 < 50,
    });
    t.push({ name: 'errors', target: '0', value: String(reg.errors.length), met: reg.errors.length === 0 });
    t.push({
      name: 'emails delivered once each',
      target: '= registrations',
      value: `${reg.emailsDelivered} / ${reg.registrationsTotal}, ${reg.duplicateEmails} duplicates`,
      met: reg.emailsDelivered === reg.registrationsTotal && reg.duplicateEmails === 0,
    });
  } else {
    t.push({ name: 'registration scenario', target: 'runs', value: 'did not run', met: false });
  }
  const heaviest = [...r.pages].sort((a, b) => b.total - a.total)[0];
  t.push({
    name: 'page weight (HTML+CSS+JS)',
    target: '≤ 30 KB',
    value: heaviest ? `${(heaviest.total / 1024).toFixed(1)} KB (${heaviest.page})` : '—',
    met: r.pages.every((p) => p.total <= 30 * 1024),
  });
  const rssLimit = r.settings.db === 'pglite' ? 300 : 200;
  t.push({
    name: `portal RSS after the run (${r.settings.db})`,
    target: `≤ ${rssLimit} MB`,
    value: mb(r.portalRssBytes),
    met: r.portalRssBytes <= rssLimit * 1048576,
  });
  if (r.portalIdleRssBytes !== undefined && r.settings.db === 'postgres')
    t.push({
      name: 'portal RSS idle after start',
      target: '≤ 120 MB',
      value: mb(r.portalIdleRssBytes),
      met: r.portalIdleRssBytes <= 120 * 1048576,
    });
  if (r.signin)
    t.push({
      name: 'sign-in errors',
      target: '0',
      value: String(r.signin.errors.length),
      met: r.signin.errors.length === 0,
    });
  return t;
}
