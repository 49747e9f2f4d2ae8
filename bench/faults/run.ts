// `npm run faults`: the real system under registration load while faults are injected, then the
// database and the mailbox checked against what every applicant saw. See bench/faults/README.md.
//   --quick        a short version of every scenario (CI)
//   --minutes N    length of the soak (default 30; 0.5 with --quick)
//   --only a,b     only these scenarios (names in the table)
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ensureDevPki } from '../../card/pki/dev-pki.ts';
import { CardPool } from '../lib/card-pool.ts';
import { freePort, ROOT } from '../lib/children.ts';
import { Browser } from '../lib/http.ts';
import { residentBytes } from '../lib/proc.ts';
import {
  type Applicant,
  type Ctx,
  newTally,
  persist,
  readStep3,
  registerApplicant,
  type Tally,
  toStep2,
} from './applicant.ts';
import { checkScenario, type Query, type Row, waitForMail } from './check.ts';
import { FaultSink } from './sink.ts';
import { Haproxy, Instance, log, sleep, ThrowawayPostgres, ThrowawayRedis } from './system.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    only: { type: 'string' },
    concurrency: { type: 'string' },
    out: { type: 'string' },
  },
});
const QUICK = args.quick ?? false;
const SOAK_MIN = Number(args.minutes ?? (QUICK ? 0.5 : 30));
const CONC = Number(args.concurrency ?? (QUICK ? 6 : 12));
const ONLY = args.only ? new Set(args.only.split(',')) : undefined;
const SCENARIOS = [
  'smtp-down',
  'pg-restart',
  'instance-kill',
  'worker-kill',
  'sigterm',
  'haproxy',
  'pglite-crash',
  'soak',
] as const;
type Name = (typeof SCENARIOS)[number];
if (ONLY) for (const n of ONLY) if (!SCENARIOS.includes(n as Name)) throw new Error(`--only: unknown ${n}`);
const want = (n: Name) => !ONLY || ONLY.has(n);
/** Seconds: the quick value or the full one. */
const dur = (quick: number, full: number) => (QUICK ? quick : full) * 1000;

const cleanup: (() => Promise<unknown>)[] = [];
const rows: Row[] = [];
const extras: Record<string, unknown> = {};
let seq = 0;

interface System {
  tmp: string;
  pg: ThrowawayPostgres;
  redis: ThrowawayRedis;
  sink: FaultSink;
  cards: CardPool;
  a: Instance;
  b: Instance;
  worker: Instance;
  haproxy: Haproxy;
  q: Query;
  env: Record<string, string>;
  metricsPorts: number[];
}

function portalEnv(
  publicOrigin: string,
  clientPort: number,
  tmp: string,
  smtpPort: number,
  pki: Awaited<ReturnType<typeof ensureDevPki>>,
  secrets: { session: string; mail: string },
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: publicOrigin,
    CLIENT_ORIGIN: `http://127.0.0.1:${clientPort}`,
    DATA_DIR: path.join(tmp, 'data'),
    SESSION_SECRET: secrets.session,
    MAIL_SECRET_KEY: secrets.mail,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    TRUST_PROXY: '127.0.0.1',
    TRUST_SIGN_ROOTS: pki.paths.root('sign'),
    TRUST_AUTH_ROOTS: pki.paths.root('auth'),
    TRUST_SIGN_CRLS: pki.paths.crl('sign'),
    TRUST_AUTH_CRLS: pki.paths.crl('auth'),
    ALLOW_DEMO_TRUST_ANCHORS: 'true',
    // Short enough for a run of minutes: a dead worker's claims are taken over after 5 s, and
    // retries start after 2 s (30 s in the default configuration).
    OUTBOX_LEASE_SECONDS: '5',
    OUTBOX_RETRY_SECONDS: '2',
    SHUTDOWN_DRAIN_SECONDS: '2',
  };
}

async function startSystem(): Promise<System> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'ro-faults-'));
  cleanup.push(() => rm(tmp, { recursive: true, force: true }));
  log('starting: PostgreSQL (throwaway), Redis, SMTP sink, card workers…');
  const pgs = new ThrowawayPostgres(tmp);
  await pgs.init();
  cleanup.push(() => pgs.destroy());
  const redis = new ThrowawayRedis();
  await redis.start();
  cleanup.push(() => redis.stop());
  const sink = new FaultSink();
  const smtpPort = await sink.listen();
  cleanup.push(() => sink.close());
  const pki = await ensureDevPki(tmp);
  const cards = new CardPool(tmp, 2, 4);
  cleanup.push(() => cards.close());
  await cards.ready();

  const [hp, pa, pb, clientPort, ma, mb, mw] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const haproxy = new Haproxy(tmp, hp!, [
    { name: 'a', port: pa! },
    { name: 'b', port: pb! },
  ]);
  const secrets = {
    session: randomBytes(32).toString('base64url'),
    mail: randomBytes(32).toString('base64url'),
  };
  const env: Record<string, string> = {
    ...portalEnv(haproxy.origin, clientPort!, tmp, smtpPort, pki, secrets),
    DATABASE_URL: pgs.url,
    REDIS_URL: redis.url,
    OUTBOX_WORKER: 'off',
    DATABASE_POOL_SIZE: '10',
  };
  mkdirSync(env.DATA_DIR!, { recursive: true });
  const a = new Instance('portal-a', pa!, { ...env, METRICS_PORT: String(ma) });
  const b = new Instance('portal-b', pb!, { ...env, METRICS_PORT: String(mb) });
  const worker = new Instance('worker', 0, { ...env, METRICS_PORT: String(mw) }, 'portal/worker.ts');
  log('starting: two portal instances, the outbox worker, HAProxy…');
  await a.start(); // migrates first; the second waits on the advisory lock otherwise
  await Promise.all([b.start(), worker.start(false)]);
  cleanup.push(
    () => a.terminate(),
    () => b.terminate(),
    () => worker.terminate(),
  );
  await haproxy.start();
  cleanup.push(() => haproxy.stop());
  // The checks' connection: dropped when the server restarts, opened again at the next query.
  let conn: pg.Client | undefined;
  const q: Query = async (text, params) => {
    if (!conn) {
      const c = new pg.Client({ connectionString: pgs.url });
      c.on('error', () => {
        if (conn === c) conn = undefined;
      });
      await c.connect();
      conn = c;
    }
    try {
      return (await conn.query(text, params)).rows;
    } catch (e) {
      conn.end().catch(() => {});
      conn = undefined;
      throw e;
    }
  };
  cleanup.push(async () => conn?.end());
  await cards.issue(QUICK ? 300 : 800);
  return { tmp, pg: pgs, redis, sink, cards, a, b, worker, haproxy, q, env, metricsPorts: [ma!, mb!] };
}

/** Keeps enough unused cards in the pool while load runs. */
function topUpCards(cards: CardPool): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) {
      if (cards.available < 150) await cards.issue(150);
      else await sleep(200);
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

/**
 * `concurrency` applicants at a time, one after another, for `ms`; `fault` runs beside them.
 * Applicants that started finish (they keep pressing) even after the window.
 */
async function load(
  sys: { cards: CardPool },
  base: string,
  prefix: string,
  ms: number,
  concurrency: number,
  fault?: () => Promise<void>,
  each?: (ctx: Ctx, a: Applicant, vu: number, n: number) => Promise<void>,
): Promise<{ applicants: Applicant[]; tally: Tally }> {
  const tally = newTally();
  const applicants: Applicant[] = [];
  const end = Date.now() + ms;
  const ctx: Ctx = { base, cards: sys.cards, tally, patienceMs: dur(45, 90) };
  const stopTopUp = topUpCards(sys.cards);
  const vus = Array.from({ length: concurrency }, async (_, vu) => {
    while (Date.now() < end) {
      const n = ++seq;
      const card = sys.cards.take();
      if (!card) {
        await sleep(100);
        continue;
      }
      const a: Applicant = {
        email: `${prefix}-${n}@faults.example`,
        clicked: false,
        completed: false,
        startedAt: Date.now(),
      };
      applicants.push(a);
      if (each) await each(ctx, a, vu, n);
      else await registerApplicant(ctx, a, card, n, xff(n));
    }
  });
  await Promise.all([...vus, fault?.()]);
  await stopTopUp();
  return { applicants, tally };
}

const xff = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** Seconds from `restoredAt` to the first STEP3 shown after it. */
function recovery(applicants: Applicant[], restoredAt: number | undefined): number | null {
  if (restoredAt === undefined) return null;
  const after = applicants
    .map((a) => a.completedAt ?? Number.POSITIVE_INFINITY)
    .filter((t) => t >= restoredAt)
    .sort((x, y) => x - y)[0];
  return after === undefined || !Number.isFinite(after) ? null : Math.round((after - restoredAt) / 100) / 10;
}

async function readyz(base: string): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  } catch (e) {
    return { status: 0, body: { error: (e as Error).message } };
  }
}

async function finish(
  sys: System,
  name: string,
  r: { applicants: Applicant[]; tally: Tally },
  droppedBefore: number,
  restoredAt: number | undefined,
  notes: string[],
  q: Query = sys.q,
): Promise<Row> {
  const emails = r.applicants.map((a) => a.email);
  const waited = await waitForMail(q, sys.sink, emails, dur(60, 240));
  const row = await checkScenario(
    name,
    q,
    sys.sink,
    r.applicants,
    r.tally,
    droppedBefore,
    recovery(r.applicants, restoredAt),
    [...notes, `mail drained ${Math.round(waited / 1000)} s after the load`],
  );
  rows.push(row);
  log(
    `${name}: ${row.completed}/${row.attempted} STEP3, ${row.refused} refused, ${row.errors} errors, users ${row.users}, emails ${row.emailsDelivered}/${row.emailsExpected}, half-written ${row.halfWritten} → ${row.ok ? 'ok' : 'NOT OK'}`,
  );
  return row;
}

// ---------------------------------------------------------------- scenarios

async function smtpDown(sys: System): Promise<void> {
  const down = dur(10, 60);
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  let restoredAt: number | undefined;
  const r = await load(sys, sys.haproxy.origin, 'smtp', down + dur(12, 30), CONC, async () => {
    await sleep(dur(4, 10));
    sys.sink.down = true;
    log('fault: SMTP refuses everything (421)');
    await sleep(6000); // the readiness probe caches SMTP for 5 s
    const rz = await readyz(sys.a.base);
    notes.push(`/readyz while SMTP is down: ${rz.status} ${JSON.stringify(rz.body)}`);
    await sleep(down - 6000);
    sys.sink.down = false;
    restoredAt = Date.now();
    log('restored: SMTP');
  });
  const t0 = Date.now();
  await waitForMail(
    sys.q,
    sys.sink,
    r.applicants.map((a) => a.email),
    dur(60, 240),
  );
  notes.push(`all mail out ${Math.round((Date.now() - (restoredAt ?? t0)) / 1000)} s after SMTP came back`);
  const retried = await sys.q(
    `SELECT count(*)::int AS n, max(attempts)::int AS max FROM outbox WHERE to_address = ANY($1) AND attempts > 1`,
    [r.applicants.map((a) => a.email)],
  );
  notes.push(
    `outbox: ${retried[0]?.n ?? 0} emails needed more than one attempt (at most ${retried[0]?.max ?? 0}; backoff 2 s doubling); ${sys.sink.refused} SMTP refusals`,
  );
  await finish(sys, 'smtp-down', r, dropped, restoredAt, notes);
}

async function pgRestart(sys: System): Promise<void> {
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  let restoredAt: number | undefined;
  const stopFor = dur(6, 20);
  const r = await load(sys, sys.haproxy.origin, 'pg', dur(28, 60), CONC, async () => {
    await sleep(dur(4, 10));
    log('fault: PostgreSQL restart (pg_ctl restart -m fast)');
    await sys.pg.restart();
    await sleep(dur(6, 15));
    log(`fault: PostgreSQL stopped for ${stopFor / 1000} s`);
    await sys.pg.stop();
    await sleep(1500);
    const rz = await readyz(sys.a.base);
    notes.push(`/readyz with the database stopped: ${rz.status} ${JSON.stringify(rz.body)}`);
    await sleep(stopFor - 1500);
    await sys.pg.start();
    restoredAt = Date.now();
    log('restored: PostgreSQL');
    for (let i = 0; i < 40; i++) {
      const z = await readyz(sys.a.base);
      if (z.status === 200) {
        notes.push(`/readyz 200 again ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after the start`);
        break;
      }
      await sleep(250);
    }
  });
  await finish(sys, 'pg-restart', r, dropped, restoredAt, notes);
}

async function instanceKill(sys: System): Promise<void> {
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  let restoredAt: number | undefined;
  const r = await load(sys, sys.haproxy.origin, 'kill', dur(20, 45), CONC, async () => {
    await sleep(dur(6, 15));
    log('fault: kill -9 portal-a');
    sys.a.kill9();
    await sleep(3000);
    await sys.a.start();
    restoredAt = Date.now();
    log('restored: portal-a');
  });
  await finish(sys, 'instance-kill', r, dropped, restoredAt, notes);
}

async function workerKill(sys: System): Promise<void> {
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  let restoredAt: number | undefined;
  // Slow acceptance keeps messages in flight, so the kill lands mid-batch.
  sys.sink.delayMs = 150;
  const r = await load(sys, sys.haproxy.origin, 'worker', dur(20, 45), CONC, async () => {
    await sleep(dur(8, 15));
    const before = sys.sink.received;
    for (let i = 0; i < 100 && sys.sink.received === before; i++) await sleep(50);
    log('fault: kill -9 the outbox worker (mid-batch)');
    const inFlight = await sys.q(`SELECT count(*)::int AS n FROM outbox WHERE state = 'sending'`);
    sys.worker.kill9();
    notes.push(`killed with ${inFlight[0]?.n ?? '?'} emails claimed`);
    await sleep(2000);
    await sys.worker.start(false);
    restoredAt = Date.now();
    log('restored: outbox worker (claims of the dead one expire after 5 s)');
  });
  await waitForMail(
    sys.q,
    sys.sink,
    r.applicants.map((a) => a.email),
    dur(60, 240),
  );
  sys.sink.delayMs = 0;
  notes.push(
    'lease 5 s; repeats after the kill carry the row’s recorded Message-ID and are dropped by the sink (sink dropped column)',
  );
  await finish(sys, 'worker-kill', r, dropped, restoredAt, notes);
}

async function sigterm(sys: System): Promise<void> {
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  let restoredAt: number | undefined;
  const r = await load(sys, sys.haproxy.origin, 'term', dur(20, 45), CONC, async () => {
    await sleep(dur(6, 15));
    log('fault: SIGTERM portal-a (drain 2 s, then close)');
    const ms = await sys.a.terminate();
    notes.push(
      `portal-a exited ${(ms / 1000).toFixed(1)} s after SIGTERM (code ${sys.a.child?.proc.exitCode})`,
    );
    await sys.a.start();
    restoredAt = Date.now();
    log('restored: portal-a');
  });
  await finish(sys, 'sigterm', r, dropped, restoredAt, notes);
}

async function haproxyScenario(sys: System): Promise<void> {
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  // (a) Ordinary load: each applicant's consecutive requests go to both instances.
  const r = await load(sys, sys.haproxy.origin, 'lb', dur(8, 20), CONC);
  notes.push(`requests of one applicant served by both instances: ${r.tally.backends.size} instances seen`);
  // (b) Double-click on both instances at once.
  const pairs = QUICK ? 20 : 100;
  const tally = r.tally;
  const ctx: Ctx = { base: sys.haproxy.origin, cards: sys.cards, tally, patienceMs: dur(45, 90) };
  const clickers: Applicant[] = [];
  let twice = 0;
  await Promise.all(
    Array.from({ length: CONC }, async (_, vu) => {
      for (let i = vu; i < pairs; i += CONC) {
        const n = ++seq;
        const a: Applicant = {
          email: `dbl-${n}@faults.example`,
          clicked: false,
          completed: false,
          startedAt: Date.now(),
        };
        clickers.push(a);
        const card = sys.cards.take()!;
        try {
          const { browser, form } = await toStep2(ctx, a, card, n, xff(n));
          a.clicked = true;
          const body = new URLSearchParams(
            [
              ...form.fields.map((f) => [f.name, f.value] as [string, string]),
              ['_action', 'register'],
            ].filter(([k]) => k),
          ).toString();
          const headers = {
            'content-type': 'application/x-www-form-urlencoded',
            origin: sys.haproxy.origin,
          };
          // Same cookies, same moment, one click to each instance directly.
          const answers = await Promise.all(
            [sys.a, sys.b].map((inst) =>
              browser.request(
                'POST',
                `${inst.base}${new URL(form.action, sys.haproxy.origin).pathname}`,
                body,
                headers,
              ),
            ),
          );
          const done = answers.filter((x) => x.status === 303 && /complete/.test(x.headers.location ?? ''));
          if (done.length === 2) twice++;
          const target = done[0]?.headers.location;
          if (!target) throw new Error(`double click answered ${answers.map((x) => x.status).join(', ')}`);
          await readStep3(ctx, a, browser, new URL(target, sys.haproxy.origin).toString());
          browser.close();
        } catch (e) {
          a.failure = (e as Error).message.slice(0, 200);
        }
      }
    }),
  );
  notes.push(
    `${pairs} applicants pressed Registration on both instances at once: ${twice} saw STEP3 from both clicks`,
  );
  // (c) The rate limit of the card step (20 a minute per address) holds across both instances.
  const b = new Browser(sys.haproxy.origin, { 'x-forwarded-for': '10.250.0.1' });
  const top = await b.get('/');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(top.body)?.[1] ?? '';
  const statuses: number[] = [];
  const servedBy = new Set<string>();
  for (let i = 0; i < 25; i++) {
    const res = await b.postForm('/registration/card', [['_csrf', csrf]]);
    statuses.push(res.status);
    servedBy.add(String(res.headers['x-served-by']));
  }
  b.close();
  const accepted = statuses.filter((s) => s === 303).length;
  notes.push(
    `rate limit across instances (Redis): ${accepted} of 25 card-step starts accepted from one address (limit 20), ${statuses.filter((s) => s === 429).length} refused with 429, served by ${[...servedBy].join('+')}`,
  );
  extras.rateLimitAccepted = accepted;
  // (d) Redis stopped: limits are skipped (logged), applicants still register.
  log('fault: Redis stopped');
  await sys.redis.stop();
  const logBefore = sys.a.logs().length + sys.b.logs().length;
  const rd = await load(sys, sys.haproxy.origin, 'noredis', dur(8, 20), CONC, async () => {
    await sleep(1500);
    const rz = await readyz(sys.a.base);
    notes.push(`/readyz with Redis stopped: ${rz.status} ${JSON.stringify(rz.body)}`);
  });
  const logged = [...sys.a.logs(), ...sys.b.logs()].filter((l) =>
    /rate-limit store \(Redis\) unavailable/.test(l),
  );
  notes.push(
    `with Redis stopped: ${rd.applicants.filter((a) => a.completed).length} registrations completed; ${logged.length > 0 ? 'logged "rate-limit store (Redis) unavailable"' : 'NOT logged'} (${sys.a.logs().length + sys.b.logs().length - logBefore} new log lines)`,
  );
  await sys.redis.start();
  log('restored: Redis');
  const all = {
    applicants: [...r.applicants, ...clickers, ...rd.applicants],
    tally: {
      ...tally,
      refused: tally.refused + rd.tally.refused,
      errors: tally.errors + rd.tally.errors,
      stackTraces: tally.stackTraces + rd.tally.stackTraces,
      kinds: new Map([...tally.kinds, ...rd.tally.kinds]),
    },
  };
  const row = await finish(sys, 'haproxy', all, dropped, undefined, notes);
  if (accepted !== 20 || logged.length === 0 || r.tally.backends.size < 2) {
    row.ok = false;
    row.notes.push('NOT OK: rate limit, Redis degradation log or round-robin not as documented');
  }
}

async function pgliteCrash(sys: System): Promise<void> {
  const notes: string[] = [];
  const dropped = sys.sink.duplicates;
  const port = await freePort();
  const dataDir = path.join(sys.tmp, 'pglite-data');
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...sys.env,
    PUBLIC_ORIGIN: origin,
    DATA_DIR: dataDir,
    OUTBOX_WORKER: 'on',
    // Another database numbers its outbox from 1 again: another domain keeps its Message-IDs apart.
    MAIL_FROM: 'Residence Online <no-reply@pglite.faults.example>',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const p = new Instance('portal-pglite', port, env);
  log('starting: a portal on PGlite (the embedded default)…');
  cleanup.push(() => p.terminate());
  await p.start(true, 300_000);
  let restoredAt: number | undefined;
  let reopened = 'not tried';
  const r = await load(sys, origin, 'pglite', dur(15, 30), Math.min(CONC, 4), async () => {
    await sleep(dur(8, 15));
    log('fault: kill -9 the PGlite portal during registrations');
    p.kill9();
    await sleep(1000);
    try {
      await p.start(true, 300_000); // what `npm start` does for the portal: open the data directory again
      reopened = 'opened';
    } catch (e) {
      reopened = `did not open: ${(e as Error).message.split('\n').slice(0, 3).join(' / ')}`;
    }
    restoredAt = Date.now();
  });
  notes.push(`start after kill -9: ${reopened}`);
  const emails = r.applicants.map((a) => a.email);
  // The portal delivers its own mail; wait for it, then stop it and read its files.
  const tmpQ: Query = async (text, params) => {
    // While the portal runs, only its own process may open the files: ask it through /readyz.
    void text;
    void params;
    return [{ n: r.applicants.filter((a) => a.completed).length }];
  };
  await waitForMail(tmpQ, sys.sink, emails, dur(30, 60));
  await p.terminate();
  const { openPglite } = await import('../../portal/store/db.ts');
  const handle = await openPglite(path.join(dataDir, 'pglite'));
  const { sql } = await import('kysely');
  const q: Query = async (text, params = []) => {
    // Positional parameters through Kysely's raw SQL.
    const parts = text.split(/\$\d+/);
    const values = params;
    const query = sql.join(
      parts.map((s, i) => (i < values.length ? sql`${sql.raw(s)}${values[i]}` : sql.raw(s))),
      sql``,
    );
    return (await query.execute(handle.db)).rows as Record<string, unknown>[];
  };
  try {
    await finish(sys, 'pglite-crash', r, dropped, restoredAt, notes, q);
  } finally {
    await handle.close();
  }
}

async function soak(sys: System): Promise<void> {
  const ms = SOAK_MIN * 60_000;
  const every = QUICK ? 5000 : 10_000;
  const dropped = sys.sink.duplicates;
  const notes: string[] = [];
  const samples: { t: number; rss: number[]; eld: number[] }[] = [];
  const t0 = Date.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rss = [sys.a, sys.b].map((i) => (i.pid ? (residentBytes(i.pid) ?? 0) / 2 ** 20 : 0));
      const eld = await Promise.all(
        sys.metricsPorts.map(async (port) => {
          const text = await fetch(`http://127.0.0.1:${port}/metrics`)
            .then((x) => x.text())
            .catch(() => '');
          return Number(/^nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(text)?.[1] ?? Number.NaN) * 1000;
        }),
      );
      samples.push({ t: (Date.now() - t0) / 1000, rss, eld });
      await sleep(every);
    }
  })();
  let signins = 0;
  let passwords = 0;
  let mypages = 0;
  const password = 'Soak-correct-horse-42';
  const r = await load(
    sys,
    sys.haproxy.origin,
    'soak',
    ms,
    Math.max(2, Math.round(CONC / 2)),
    undefined,
    async (ctx, a, _vu, n) => {
      // Mixed: register, set the password from the email's link, sign in, My page.
      sys.sink.wantLinks.add(a.email);
      const card = sys.cards.take();
      if (!card) return;
      await registerApplicant(ctx, a, card, n, xff(n));
      if (!a.completed) return;
      const b = new Browser(ctx.base, { 'x-forwarded-for': xff(n) });
      try {
        let link: string | undefined;
        for (let i = 0; i < 120 && !link; i++) {
          link = sys.sink.links.get(a.email);
          if (!link) await sleep(250);
        }
        if (!link) throw new Error('no password link arrived');
        const toForm = await persist(ctx, 'GET /password/set?token', 303, () =>
          b.get(new URL(link).pathname + new URL(link).search),
        );
        const form = await persist(ctx, 'GET /password/set', 200, () => b.get(toForm.headers.location!));
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
        await persist(ctx, 'POST /password/set', 303, () =>
          b.postForm('/password/set', [
            ['_csrf', csrf],
            ['password', password],
            ['confirm', password],
          ]),
        );
        passwords++;
        const page = await persist(ctx, 'GET /signin', 200, () => b.get('/signin'));
        const csrf2 = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
        const signedIn = await persist(ctx, 'POST /signin', 303, () =>
          b.postForm('/signin', [
            ['_csrf', csrf2],
            ['userId', a.userId!],
            ['password', password],
          ]),
        );
        signins++;
        await persist(ctx, 'GET /mypage', 200, () =>
          b.get(new URL(signedIn.headers.location!, ctx.base).pathname),
        );
        mypages++;
      } catch (e) {
        a.failure = `after STEP3: ${(e as Error).message.slice(0, 200)}`;
      } finally {
        b.close();
        sys.sink.wantLinks.delete(a.email);
        sys.sink.links.delete(a.email);
      }
    },
  );
  sampling = false;
  await sampler;
  const slope = (pick: (s: (typeof samples)[number]) => number) => {
    const pts = samples.map((s) => [s.t / 3600, pick(s)] as const).filter(([, y]) => Number.isFinite(y));
    if (pts.length < 3) return Number.NaN;
    const mx = pts.reduce((x, [t]) => x + t, 0) / pts.length;
    const my = pts.reduce((x, [, y]) => x + y, 0) / pts.length;
    const num = pts.reduce((x, [t, y]) => x + (t - mx) * (y - my), 0);
    const den = pts.reduce((x, [t]) => x + (t - mx) ** 2, 0);
    return den ? num / den : Number.NaN;
  };
  // The first minute is warm-up (code loading, pools filling): slopes from the rest when there is a rest.
  const steady = samples.length > 12 ? samples.filter((s) => s.t >= 60) : samples;
  const fit = (pick: (s: (typeof samples)[number]) => number) => {
    const keep = samples.splice(0, samples.length, ...steady);
    const v = slope(pick);
    samples.splice(0, samples.length, ...keep);
    return v;
  };
  const figures = {
    minutes: SOAK_MIN,
    samples: samples.length,
    rssMiB: [0, 1].map((i) => ({
      first: samples[0]?.rss[i],
      last: samples.at(-1)?.rss[i],
      slopePerHour: fit((s) => s.rss[i]!),
    })),
    eventLoopP99Ms: [0, 1].map((i) => ({
      first: samples[0]?.eld[i],
      last: samples.at(-1)?.eld[i],
      slopePerHour: fit((s) => s.eld[i]!),
    })),
    registrations: r.applicants.filter((a) => a.completed).length,
    passwords,
    signins,
    mypages,
  };
  extras.soak = { ...figures, series: samples };
  const f1 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(1));
  notes.push(
    `${SOAK_MIN} min, ${figures.registrations} registrations, ${passwords} passwords set, ${signins} sign-ins, ${mypages} My pages`,
    ...['a', 'b'].map(
      (n, i) =>
        `portal-${n}: RSS ${f1(figures.rssMiB[i]!.first)} → ${f1(figures.rssMiB[i]!.last)} MiB (slope ${f1(figures.rssMiB[i]!.slopePerHour)} MiB/h), event-loop p99 ${f1(figures.eventLoopP99Ms[i]!.first)} → ${f1(figures.eventLoopP99Ms[i]!.last)} ms (slope ${f1(figures.eventLoopP99Ms[i]!.slopePerHour)} ms/h)`,
    ),
  );
  const row = await finish(sys, 'soak', r, dropped, undefined, notes);
  if (row.errors > 0) row.ok = false;
}

// ---------------------------------------------------------------- table

function table(rs: Row[]): string {
  const head = [
    'scenario',
    'tried',
    'STEP3',
    'refused',
    'errors',
    'users',
    'users w/o STEP3',
    'STEP3 w/o user',
    'lost',
    'dup acct',
    'mail exp/deliv/dup',
    'sink dropped',
    'half-written',
    'recover s',
    'ok',
  ];
  const body = rs.map((r) => [
    r.scenario,
    String(r.attempted),
    String(r.completed),
    String(r.refused),
    String(r.errors),
    String(r.users),
    String(r.usersWithoutStep3),
    String(r.step3WithoutUser),
    String(r.lost),
    String(r.duplicatedAccounts),
    `${r.emailsExpected}/${r.emailsDelivered}/${r.emailsDuplicated}`,
    String(r.sinkDropped),
    String(r.halfWritten),
    r.recoverS === null ? '–' : r.recoverS.toFixed(1),
    r.ok ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  log(`faults: ${QUICK ? 'quick' : 'full'} run, ${CONC} applicants at a time, soak ${SOAK_MIN} min`);
  const sys = await startSystem();
  const steps: [Name, (s: System) => Promise<void>][] = [
    ['smtp-down', smtpDown],
    ['pg-restart', pgRestart],
    ['instance-kill', instanceKill],
    ['worker-kill', workerKill],
    ['sigterm', sigterm],
    ['haproxy', haproxyScenario],
    ['pglite-crash', pgliteCrash],
    ['soak', soak],
  ];
  for (const [name, fn] of steps) {
    if (!want(name)) continue;
    log(`— ${name}`);
    try {
      await fn(sys);
    } catch (e) {
      log(`${name}: the harness failed: ${(e as Error).stack}`);
      rows.push({
        scenario: name,
        attempted: 0,
        completed: 0,
        refused: 0,
        errors: 0,
        users: 0,
        usersWithoutStep3: 0,
        step3WithoutUser: 0,
        lost: 0,
        duplicatedAccounts: 0,
        emailsExpected: 0,
        emailsDelivered: 0,
        emailsDuplicated: 0,
        sinkDropped: 0,
        halfWritten: 0,
        stackTraces: 0,
        recoverS: null,
        ok: false,
        notes: [`harness failed: ${(e as Error).message}`],
      });
    }
  }
  const out = table(rows);
  process.stdout.write(`\n${out}\n\n`);
  for (const r of rows) for (const n of r.notes) process.stdout.write(`  ${r.scenario}: ${n}\n`);
  const result = {
    at: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    minutes: (Date.now() - started) / 60_000,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '',
      node: process.version,
      load1: loadavg()[0],
    },
    settings: { concurrency: CONC, soakMinutes: SOAK_MIN, only: args.only ?? null },
    rows,
    extras,
  };
  const file =
    args.out ??
    path.join(
      ROOT,
      'bench',
      'results',
      `faults-${QUICK ? 'quick-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `\nwritten: ${path.relative(ROOT, file)} (${((Date.now() - started) / 60_000).toFixed(1)} min)\n`,
  );
  return rows.every((r) => r.ok) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  process.stderr.write(`faults: ${(e as Error).stack}\n`);
} finally {
  // Each step bounded; whatever is left is killed by pid when the process exits (system.ts).
  for (const c of cleanup.reverse())
    await Promise.race([
      Promise.resolve()
        .then(c)
        .catch(() => {}),
      sleep(20_000),
    ]);
}
process.exit(code);
