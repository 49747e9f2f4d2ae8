// `npm run bench`: the portal under load, on PostgreSQL (default) or PGlite, against a bare
// Fastify hello world on the same machine. See the README, section Performance.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ensureDevPki } from '../card/pki/dev-pki.ts';
import { ARGON2_PARAMS, hashPassword } from '../portal/domain/password-hash.ts';
import { newUserId } from '../portal/domain/user-id.ts';
import { CardPool } from './lib/card-pool.ts';
import { Child, freePort, ROOT } from './lib/children.ts';
import { explainHotStatements } from './lib/explain.ts';
import { Browser } from './lib/http.ts';
import { weighPages } from './lib/pages.ts';
import { createBenchDatabase, PgCpuMeter, type PgCpuReading, pgCpuBetween } from './lib/pg.ts';
import { StatementCounter, statementsBetween } from './lib/pg-proxy.ts';
import { processCpuMs, residentBytes } from './lib/proc.ts';
import { type CpuProfile, summarizeProfile } from './lib/profile.ts';
import {
  type BenchResult,
  fmt,
  formatTable,
  pageRows,
  type ScenarioResult,
  stepRows,
  summaryRows,
  targets,
} from './lib/report.ts';
import { registerOnce, runLoad, signInOnce, type Walker } from './lib/scenario.ts';
import { SmtpSink } from './lib/smtp-sink.ts';
import { StepRecorder, summarize } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    db: { type: 'string', default: 'postgres' },
    'baseline-duration': { type: 'string' },
    'signin-duration': { type: 'string' },
    'signin-concurrency': { type: 'string' },
    worker: { type: 'string', default: 'inline' },
    'cpu-prof': { type: 'boolean', default: false },
    'no-signin': { type: 'boolean', default: false },
    'count-statements': { type: 'boolean', default: false },
    'pg-socket': { type: 'string' },
    explain: { type: 'boolean', default: false },
    portal: { type: 'string', default: 'built' },
    help: { type: 'boolean', default: false },
    'portal-env': { type: 'string', multiple: true, default: [] },
    'node-option': { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
  },
});

if (args.help) {
  process.stdout.write(`npm run bench -- [options]   (README.md, section Performance)
  --duration S            measured seconds of the registration scenario (30), after --warmup S (5)
  --concurrency N         applicants at once (64)
  --db postgres|pglite    PostgreSQL (BENCH_DATABASE_URL) or the embedded PGlite (postgres)
  --worker inline|separate  outbox worker in the portal, or its own process (inline)
  --portal built|tsx      the portal as production runs it (npm run build, node dist/…) or through tsx (built)
  --pg-socket DIR         reach PostgreSQL over its Unix socket in DIR (e.g. /var/run/postgresql)
  --portal-env K=V        extra environment for the portal and worker (repeatable), e.g. MALLOC_ARENA_MAX=2
  --node-option OPT       extra node option for the portal and worker (repeatable), e.g. --max-old-space-size=96
  --baseline-duration S   seconds of each baseline: hello world, DB page (min(10, duration))
  --signin-duration S, --signin-concurrency N, --no-signin   the password sign-in scenario
  --cpu-prof              V8 CPU profile of the portal (bench/results/*.cpuprofile), top entries printed
  --count-statements      the SQL statements of one registration, through a counting proxy (not for timing)
  --explain               EXPLAIN ANALYZE of the hot statements after the run
  --out FILE              result JSON (bench/results/latest-<db>.json)
`);
  process.exit(0);
}

const num = (v: string | undefined, name: string, fallback?: number): number => {
  const n = v === undefined ? fallback : Number(v);
  if (n === undefined || !Number.isFinite(n) || n <= 0)
    throw new Error(`--${name}: expected a positive number`);
  return n;
};
const DURATION_S = num(args.duration, 'duration');
const WARMUP_S = Math.max(1, Math.min(num(args.warmup, 'warmup'), DURATION_S));
const CONCURRENCY = Math.round(num(args.concurrency, 'concurrency'));
const BASELINE_S = num(args['baseline-duration'], 'baseline-duration', Math.min(10, DURATION_S));
const SIGNIN_S = num(args['signin-duration'], 'signin-duration', Math.min(10, DURATION_S));
const SIGNIN_CONCURRENCY = Math.round(
  num(args['signin-concurrency'], 'signin-concurrency', Math.min(16, CONCURRENCY)),
);
const DB_KIND = args.db === 'pglite' ? 'pglite' : 'postgres';
if (args.db !== 'pglite' && args.db !== 'postgres') throw new Error('--db: postgres or pglite');
const SEPARATE_WORKER = args.worker === 'separate' && DB_KIND === 'postgres';
const PAGE_BUDGET = 30 * 1024;
if (args.portal !== 'built' && args.portal !== 'tsx') throw new Error('--portal: built or tsx');
const BUILT = args.portal === 'built';
const nodeOptions = args['node-option'] ?? [];
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const log = (s: string) => process.stdout.write(`${s}\n`);
const progress = (s: string) => process.stderr.write(`\r\x1b[K${s}`);
const cleanup: (() => Promise<unknown>)[] = [];
const notes: string[] = [];

async function main(): Promise<number> {
  const started = Date.now();
  // Others share this machine: the load average says how much of it the bench had.
  const loadAtStart = loadavg()[0]!;
  log(
    `bench: ${DB_KIND}, portal ${BUILT ? 'built (dist/)' : 'through tsx'}${args['portal-env']?.length ? ` with ${args['portal-env'].join(' ')}` : ''}${nodeOptions.length ? ` node ${nodeOptions.join(' ')}` : ''}, ${CONCURRENCY} applicants, ${WARMUP_S} s warm-up + ${DURATION_S} s measured; baseline ${BASELINE_S} s; sign-in ${args['no-signin'] ? 'off' : `${SIGNIN_S} s × ${SIGNIN_CONCURRENCY}`}`,
  );
  if (BUILT) {
    // What production runs: the portal compiled to dist/ (npm run build), plain node.
    log('building the portal (npm run build)…');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'ignore' });
  }
  const tmp = await mkdtemp(path.join(tmpdir(), 'ro-bench-'));
  cleanup.push(() => rm(tmp, { recursive: true, force: true }));

  // Temporary PKI: the portal trusts only these roots; the card workers issue under them.
  const pki = await ensureDevPki(tmp);
  const cards = new CardPool(tmp, 2, 4);
  cleanup.push(() => cards.close());

  const sink = new SmtpSink();
  const smtpPort = await sink.listen();
  cleanup.push(() => sink.close());

  let databaseUrl: string | undefined;
  let meter: PgCpuMeter | undefined;
  let dbName = '';
  let statements: StatementCounter | undefined;
  if (DB_KIND === 'postgres') {
    dbName = `ro_bench_${randomBytes(4).toString('hex')}`;
    const bdb = await createBenchDatabase(SERVER_URL, dbName);
    cleanup.push(() => bdb.drop());
    databaseUrl = bdb.url;
    if (args['pg-socket']) {
      // The portal reaches the server over its Unix socket (the directory, e.g. /var/run/postgresql).
      const u = new URL(databaseUrl);
      u.searchParams.set('host', args['pg-socket']);
      databaseUrl = u.toString();
    }
    if (args['count-statements']) {
      // The portal talks to PostgreSQL through a counting proxy (one more hop: not for timed runs).
      statements = new StatementCounter();
      const u = new URL(databaseUrl);
      const port = await statements.listen(u.hostname, Number(u.port || 5432));
      cleanup.push(() => statements!.close());
      u.hostname = '127.0.0.1';
      u.port = String(port);
      databaseUrl = u.toString();
    }
    meter = new PgCpuMeter(SERVER_URL, dbName);
    cleanup.push(() => meter!.close());
    if (!(await meter.open())) {
      notes.push('PostgreSQL server processes are not readable from here: no PostgreSQL CPU figures.');
    }
  }

  const [portalPort, helloPort, clientPort, dbPagePort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const base = `http://127.0.0.1:${portalPort}`;
  const portalEnv: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(portalPort),
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: base,
    CLIENT_ORIGIN: `http://127.0.0.1:${clientPort}`,
    DATA_DIR: path.join(tmp, 'data'),
    MAIL_SECRET_KEY: randomBytes(32).toString('base64url'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    // The bench stands in for the load balancer: each applicant's X-Forwarded-For is believed.
    TRUST_PROXY: '127.0.0.1',
    TRUST_SIGN_ROOTS: pki.paths.root('sign'),
    TRUST_AUTH_ROOTS: pki.paths.root('auth'),
    TRUST_SIGN_CRLS: pki.paths.crl('sign'),
    TRUST_AUTH_CRLS: pki.paths.crl('auth'),
    // The bench's own throwaway PKI keeps its root keys beside the roots.
    ALLOW_DEMO_TRUST_ANCHORS: 'true',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(SEPARATE_WORKER ? { OUTBOX_WORKER: 'off' } : {}),
    // As npm run portal:prod / worker:prod start it (decision 1004).
    ...(BUILT ? { MALLOC_ARENA_MAX: '2' } : {}),
    // --portal-env KEY=VALUE (repeatable): e.g. MALLOC_ARENA_MAX=2 for the portal and worker.
    ...Object.fromEntries(
      (args['portal-env'] ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
  mkdirSync(portalEnv.DATA_DIR!, { recursive: true });
  const profDir = path.join(ROOT, 'bench', 'results');
  const profName = `portal-${DB_KIND}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const portal = new Child('portal', BUILT ? 'dist/portal/main.js' : 'portal/main.ts', portalEnv, [
    ...nodeOptions,
    ...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${profName}`] : []),
  ]);
  cleanup.push(() => portal.stop());
  const hello = new Child('hello', 'bench/hello.ts', { PORT: String(helloPort) });
  cleanup.push(() => hello.stop());

  log('starting: portal, hello world, card workers (RSA key pools)…');
  await Promise.all([
    portal.ready(`${base}/readyz`),
    hello.ready(`http://127.0.0.1:${helloPort}/`),
    cards.ready(),
  ]);
  // Idle after start: migrations done, nothing served yet but /readyz.
  await new Promise((r) => setTimeout(r, 1000));
  const portalIdleRssBytes = residentBytes(portal.pid) ?? 0;
  log(`portal RSS idle after start: ${fmt(portalIdleRssBytes / 1048576, 0)} MB`);
  // The second baseline (PostgreSQL only: PGlite lives inside the portal's process).
  let dbPage: Child | undefined;
  if (databaseUrl) {
    dbPage = new Child('db page', 'bench/db-page.tsx', {
      PORT: String(dbPagePort),
      DATABASE_URL: databaseUrl,
    });
    cleanup.push(() => dbPage!.stop());
    await dbPage.ready(`http://127.0.0.1:${dbPagePort}/`);
  }
  let worker: Child | undefined;
  if (SEPARATE_WORKER) {
    worker = new Child(
      'worker',
      BUILT ? 'dist/portal/worker.js' : 'portal/worker.ts',
      portalEnv,
      nodeOptions,
    );
    cleanup.push(() => worker!.stop());
  }

  const issue = async (n: number) => {
    const t = performance.now();
    await cards.issue(n, (done, target) => progress(`issuing cards ${done}/${target}`));
    progress('');
    log(`issued ${n} cards in ${fmt((performance.now() - t) / 1000, 1)} s (${cards.available} unused)`);
  };
  await issue(Math.max(200, CONCURRENCY * 4));

  // One applicant alone first: checks the flow works and collects each page for its weight.
  let registered = 0;
  let probeStatements: { sql: string; perIteration: number }[] | undefined;
  const emails: string[] = [];
  const regCtx = {
    base,
    cards,
    onRegistered: (email: string) => {
      registered++;
      emails.push(email);
    },
  };
  const probe = new StepRecorder();
  const first = new Browser(base, { 'x-forwarded-for': '10.255.255.1' });
  const walker = new (await import('./lib/scenario.ts')).Walker(first, probe);
  walker.pages = new Map();
  let flowOk = true;
  try {
    // Twice: the first request of each kind loads code; the second shows the steady state.
    await registerOnce(walker, regCtx, cards.take()!);
    const s0 = statements?.snapshot();
    await registerOnce(walker, regCtx, cards.take()!);
    if (statements && s0) {
      const list = statementsBetween(s0, statements.snapshot(), 1);
      const total = list.reduce((n, x) => n + x.perIteration, 0);
      log(`statements for one registration (probe, incl. the outbox worker's if it ran): ${total}`);
      for (const x of list) log(`  ${String(x.perIteration).padStart(3)}  ${x.sql.slice(0, 160)}`);
      probeStatements = list;
    }
  } catch (e) {
    flowOk = false;
    notes.push(`registration flow not usable: ${(e as Error).message}`);
    log(`registration flow not usable: ${(e as Error).message}`);
  }
  walker.pages.set('GET /signin', (await first.get('/signin')).body);
  first.close();
  const pages = await weighPages(base, walker.pages);

  // Baselines: the same load generator, the same concurrency, GET / on the bare hello world and
  // on the DB page (one SELECT over the same pool, rendered with the portal's renderer).
  const baselineRun = async (name: string, child: Child, port: number) => {
    log(`baseline: ${name}, ${CONCURRENCY} connections, ${BASELINE_S} s…`);
    const rec = new StepRecorder();
    const cpu0 = processCpuMs(child.pid)!;
    let cpu1 = cpu0;
    const run = await runLoad({
      base: `http://127.0.0.1:${port}`,
      concurrency: CONCURRENCY,
      durationMs: BASELINE_S * 1000,
      rec,
      iteration: async (w) => {
        await w.get('/');
        return true;
      },
      onWindowEnd: () => {
        cpu1 = processCpuMs(child.pid)!;
      },
    });
    const latency = rec.summary()['GET /'] ?? summarize([]);
    const b = {
      requestsPerSecond: run.completed / (run.elapsedMs / 1000),
      latency,
      cpuMsPerRequest: (cpu1 - cpu0) / Math.max(1, run.completed),
      rssBytes: residentBytes(child.pid) ?? 0,
    };
    log(
      `  ${fmt(b.requestsPerSecond, 0)} requests/s, p99 ${fmt(latency.p99, 2)} ms, CPU ${fmt(b.cpuMsPerRequest, 3)} ms/request`,
    );
    await child.stop();
    return b;
  };
  const baseline = await baselineRun('hello world', hello, helloPort);
  const dbBaseline = dbPage ? await baselineRun('DB page', dbPage, dbPagePort) : undefined;
  if (!dbPage) notes.push('DB page baseline: needs --db postgres (PGlite lives inside the portal process)');

  const result: BenchResult = {
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '',
      node: process.version,
      load1AtStart: loadAtStart,
      load1AtEnd: 0,
    },
    settings: {
      db: DB_KIND,
      concurrency: CONCURRENCY,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      baselineS: BASELINE_S,
      worker: SEPARATE_WORKER ? 'separate process' : 'in the portal process',
      postgresTransport: args['pg-socket'] ? `unix socket ${args['pg-socket']}` : 'TCP 127.0.0.1',
      cpuProfile: args['cpu-prof'] ?? false,
      portal: BUILT ? 'built (node dist/portal/main.js)' : 'source through tsx',
      portalEnv: (args['portal-env'] ?? []).join(' '),
      nodeOptions: nodeOptions.join(' '),
    },
    baseline,
    ...(dbBaseline ? { dbBaseline } : {}),
    portalIdleRssBytes,
    portalRssBytes: 0,
    pages,
    targets: [],
    notes,
  };

  const measure = async () => ({
    emails: sink.messages,
    portal: processCpuMs(portal.pid)!,
    worker: worker ? processCpuMs(worker.pid)! : 0,
    pg: meter?.available ? await meter.read() : undefined,
  });
  type Reading = Awaited<ReturnType<typeof measure>>;
  const scenario = (
    rec: StepRecorder,
    load: Awaited<ReturnType<typeof runLoad>>,
    a: Reading,
    b: Reading,
  ): ScenarioResult => {
    const requests = rec.count();
    // Work is divided by the requests done in the window over the requests of one iteration, not
    // by the iterations that happened to finish in it: applicants in flight at either edge of the
    // window would otherwise skew a short run.
    const equivalents = Math.max(1, requests / Math.max(1, rec.steps().length));
    const pgUse = a.pg && b.pg ? pgCpuBetween(a.pg as PgCpuReading, b.pg as PgCpuReading) : undefined;
    return {
      durationS: load.elapsedMs / 1000,
      completed: load.completed,
      equivalents,
      perSecond: load.completed / (load.elapsedMs / 1000),
      requests,
      requestsPerSecond: requests / (load.elapsedMs / 1000),
      errors: load.errors,
      steps: rec.summary(),
      portalCpuMs: b.portal - a.portal,
      workerCpuMs: b.worker - a.worker,
      ...(pgUse
        ? {
            pgCpuMs: pgUse.benchMs,
            pgServerCpuMs: pgUse.serverMs,
            dbPerIteration: Object.fromEntries(
              Object.entries(pgUse.stats).map(([k, v]) => [k, Number((v / equivalents).toFixed(2))]),
            ),
          }
        : {}),
    };
  };

  if (flowOk) {
    // Warm-up, which also calibrates how many cards the measured window needs.
    log(`registration warm-up: ${WARMUP_S} s…`);
    const warmRec = new StepRecorder();
    const warm = await runLoad({
      base,
      concurrency: CONCURRENCY,
      durationMs: WARMUP_S * 1000,
      rec: warmRec,
      iteration: async (w: Walker) => {
        const card = cards.take();
        if (!card) return false;
        await registerOnce(w, regCtx, card);
        return true;
      },
    });
    const rate = warm.completed / (warm.elapsedMs / 1000);
    const need = Math.ceil(rate * DURATION_S * 2) + CONCURRENCY * 4;
    log(`  ${fmt(rate, 1)} registrations/s in warm-up (${warm.errors.length} errors); need ≈${need} cards`);
    if (need > cards.available) await issue(need - cards.available);
    // The warm-up can underestimate (a busy machine): top up in the background when cards run low.
    let topping = true;
    const topUp = (async () => {
      while (topping) {
        if (cards.available < CONCURRENCY * 8) await cards.issue(CONCURRENCY * 4);
        else await new Promise((r) => setTimeout(r, 100));
      }
    })();

    log(`registration: ${CONCURRENCY} applicants, ${DURATION_S} s…`);
    const rec = new StepRecorder();
    const before = await measure();
    let after = before;
    const regStart = registered;
    let regInWindow = 0;
    const load = await runLoad({
      base,
      concurrency: CONCURRENCY,
      durationMs: DURATION_S * 1000,
      rec,
      iteration: async (w: Walker) => {
        const card = cards.take();
        if (!card) return false;
        await registerOnce(w, regCtx, card);
        return true;
      },
      onWindowEnd: async () => {
        after = await measure();
        regInWindow = registered - regStart;
      },
    });
    topping = false;
    await topUp;
    if (load.starved) notes.push('ran out of pre-issued cards before the end of the window');
    // Delivery: wait until every registration's email reached the sink.
    const drainStart = Date.now();
    const drainCpu0 = processCpuMs(portal.pid)! + (worker ? processCpuMs(worker.pid)! : 0);
    const drainMail0 = sink.messages;
    // Wait while delivery makes progress (give up after 20 s without a new message, or 10 min).
    let lastCount = sink.messages;
    let lastProgress = Date.now();
    while (
      sink.messages < registered &&
      Date.now() - lastProgress < 20_000 &&
      Date.now() - drainStart < 600_000
    ) {
      if (sink.messages !== lastCount) {
        lastCount = sink.messages;
        lastProgress = Date.now();
      }
      progress(`waiting for the outbox: ${sink.messages}/${registered} emails`);
      await new Promise((r) => setTimeout(r, 250));
    }
    progress('');
    const outboxDrainMs = Date.now() - drainStart;
    // Nothing but the outbox runs in the portal now: its CPU per email delivered.
    const drainEmails = sink.messages - drainMail0;
    const mailCpuMsPerEmail =
      drainEmails > 0
        ? (processCpuMs(portal.pid)! + (worker ? processCpuMs(worker.pid)! : 0) - drainCpu0) / drainEmails
        : undefined;
    log(
      `  outbox drained ${fmt(outboxDrainMs / 1000, 1)} s after the window (${sink.connections} SMTP connections for ${sink.messages} messages)`,
    );
    const s = scenario(rec, load, before, after);
    // CPU is over the window; registrations finished in the window are the ones counted by runLoad.
    const per = (ms: number | undefined) => (ms === undefined ? undefined : ms / s.equivalents);
    const dupes = [...sink.perRecipient.values()].filter((n) => n > 1).length;
    const wrongRecipients = emails.filter((e) => !sink.perRecipient.has(e)).length;
    if (wrongRecipients > 0) notes.push(`${wrongRecipients} registrations got no email`);
    void regInWindow;
    result.registration = {
      ...s,
      emailsDelivered: sink.messages,
      smtpConnections: sink.connections,
      outboxDrainMs,
      registrationsTotal: registered,
      duplicateEmails: dupes,
      portalCpuMsPerRegistration: per(s.portalCpuMs)!,
      emailsInWindow: after.emails - before.emails,
      ...(mailCpuMsPerEmail !== undefined ? { mailCpuMsPerEmail } : {}),
      // HTTP work of one registration plus exactly one email, whatever the outbox managed in the window.
      ...(mailCpuMsPerEmail !== undefined
        ? {
            portalCpuMsPerCompleteRegistration:
              (s.portalCpuMs + s.workerCpuMs - (after.emails - before.emails) * mailCpuMsPerEmail) /
                s.equivalents +
              mailCpuMsPerEmail,
          }
        : {}),
      workerCpuMsPerRegistration: per(s.workerCpuMs)!,
      ...(s.pgCpuMs !== undefined
        ? { pgCpuMsPerRegistration: per(s.pgCpuMs), pgServerCpuMsPerRegistration: per(s.pgServerCpuMs) }
        : {}),
    };
    if (warm.errors.length) result.registration.errors.unshift(...warm.errors);
  }

  if (!args['no-signin']) {
    if (DB_KIND !== 'postgres' || !databaseUrl) {
      notes.push('sign-in scenario: needs --db postgres (users are seeded straight into the database)');
    } else {
      const users = await seedUsers(databaseUrl, SIGNIN_CONCURRENCY * 8);
      log(`sign-in: ${SIGNIN_CONCURRENCY} users at a time, ${SIGNIN_S} s (${users.length} seeded users)…`);
      const rec = new StepRecorder();
      const before = await measure();
      let after = before;
      const load = await runLoad({
        base,
        concurrency: SIGNIN_CONCURRENCY,
        durationMs: SIGNIN_S * 1000,
        rec,
        iteration: async (w) => {
          await signInOnce(w, { users });
          return true;
        },
        onWindowEnd: async () => {
          after = await measure();
        },
      });
      const s = scenario(rec, load, before, after);
      result.signin = {
        ...s,
        argon2: {
          algorithm: 'argon2id',
          memoryKiB: ARGON2_PARAMS.memoryCost,
          iterations: ARGON2_PARAMS.timeCost,
          parallelism: ARGON2_PARAMS.parallelism,
        },
        portalCpuMsPerSignin: s.portalCpuMs / s.equivalents,
        ...(s.pgCpuMs !== undefined ? { pgCpuMsPerSignin: s.pgCpuMs / s.equivalents } : {}),
      };
    }
  }

  if (args.explain && databaseUrl && DB_KIND === 'postgres') {
    const plans = await explainHotStatements(databaseUrl);
    log('');
    log('EXPLAIN ANALYZE of the hot statements (after the run)');
    for (const p of plans) {
      log(`  ${p.name}: ${fmt(p.executionMs, 3)} ms — ${p.plan[0]?.trim().slice(0, 110)}`);
      for (const line of p.plan.slice(1)) {
        if (/Scan|Buffers/.test(line)) log(`      ${line.trim().slice(0, 120)}`);
      }
    }
    (result as BenchResult & { explain?: unknown }).explain = plans;
  }
  if (probeStatements)
    (result as BenchResult & { probeStatements?: unknown }).probeStatements = probeStatements;
  result.portalRssBytes = residentBytes(portal.pid) ?? 0;
  result.machine.load1AtEnd = loadavg()[0]!;
  result.targets = targets(result);

  // Report.
  log('');
  log(formatTable(summaryRows(result)));
  if (result.registration) {
    const d = result.registration.dbPerIteration;
    if (d) {
      log('');
      log(
        `database work per registration: ${d.xact_commit} transactions (≈ statements outside BEGIN), ${d.tup_inserted} rows inserted, ${d.tup_updated} updated, ${d.tup_deleted} deleted, ${d.tup_fetched} fetched, ${d.blks_hit} buffer hits`,
      );
    }
    log('');
    log('registration steps (measured window)');
    log(formatTable(stepRows(result.registration.steps, baseline.latency, dbBaseline?.latency)));
  }
  if (result.signin) {
    log('');
    log(
      `sign-in steps (argon2id m=${ARGON2_PARAMS.memoryCost} KiB, t=${ARGON2_PARAMS.timeCost}, p=${ARGON2_PARAMS.parallelism})`,
    );
    log(formatTable(stepRows(result.signin.steps, baseline.latency, dbBaseline?.latency)));
  }
  log('');
  log('page weight (HTML + linked CSS + JS)');
  log(formatTable(pageRows(pages, PAGE_BUDGET)));
  log('');
  log('targets');
  log(
    formatTable([
      ['target', 'goal', 'value', 'met'],
      ...result.targets.map((t) => [t.name, t.target, t.value, t.met ? 'yes' : 'NO']),
    ]),
  );
  const errs = [...(result.registration?.errors ?? []), ...(result.signin?.errors ?? [])];
  if (errs.length) {
    log('');
    log(`errors (first 10 of ${errs.length}):`);
    for (const e of errs.slice(0, 10)) log(`  ${e.message}`);
  }
  for (const n of notes) log(`note: ${n}`);

  await portal.stop();
  if (args['cpu-prof']) {
    const file = readdirSync(profDir).find((f) => f === profName);
    if (file) {
      const prof = summarizeProfile(
        JSON.parse(readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile,
        20,
      );
      log('');
      log(`portal CPU profile (bench/results/${file}), ${fmt(prof.totalMs, 0)} ms sampled, self time:`);
      log(
        formatTable([
          ['by package/folder', 'ms', '%'],
          ...prof.owners.map((l) => [l.name, fmt(l.ms, 0), fmt(l.share * 100, 1)]),
        ]),
      );
      log(
        formatTable([
          ['by function', 'ms', '%'],
          ...prof.functions.map((l) => [l.name, fmt(l.ms, 0), fmt(l.share * 100, 1)]),
        ]),
      );
      (result as BenchResult & { profile?: unknown }).profile = prof;
    }
  }

  const out = args.out ?? path.join(ROOT, 'bench', 'results', `latest-${DB_KIND}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log('');
  log(`result: ${path.relative(process.cwd(), out)} (${fmt((Date.now() - started) / 1000, 0)} s in all)`);
  return result.targets.every((t) => t.met) ? 0 : 1;
}

async function seedUsers(url: string, n: number): Promise<{ userId: string; password: string }[]> {
  // One argon2id hash with the portal's own parameters, shared by every seeded user.
  const password = 'Bench-pass-2026!';
  const hash = await hashPassword(password);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const users: { userId: string; password: string }[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const id = newUserId();
      await c.query(
        `INSERT INTO users (id, user_name, sex, date_of_birth, prefecture_code, municipality_code, street_address,
           telephone, email, user_category, residence_card_number, lang, password_hash, password_set_at, password_expires_at)
         VALUES ($1, 'BENCH USER', 'male', '1990-04-01', '13', '131041', 'Nishi-Shinjuku 2-8-1', '09012345678',
           $2, 'foreign_national', 'AB12345678CD', 'en', $3, now(), now() + interval '300 days')`,
        [id, `signin-${i}@bench.example`, hash],
      );
      users.push({ userId: id, password });
    }
  } finally {
    await c.end();
  }
  return users;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`bench failed: ${(e as Error).stack ?? e}`);
} finally {
  for (const fn of cleanup.reverse()) {
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup: ${(e as Error).message}`);
    }
  }
}
process.exit(code);
