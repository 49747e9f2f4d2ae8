// The bench database on a PostgreSQL server, and the server's CPU time.
//
// CPU method (documented in the README, section Performance): the server runs on this machine, so its
// processes' /proc/<pid>/stat can be read. Before and after the measured window we list
//   - the backends serving the bench database: pg_stat_activity.pid WHERE datname = <bench db>
//     (the portal's pool keeps its connections open, so they live through the window), and
//   - the postmaster's auxiliary children (walwriter, checkpointer, background writer,
//     autovacuum): every child of the postmaster that is not a client backend of another database;
// and sum utime+stime of each (keyed by pid and start time) over the window. A backend that
// starts inside the window counts from zero. Backends of other databases (other engineers'
// tests on the shared server) are left out; the whole-server figure, which includes them and
// the postmaster's reaped children (its cutime/cstime), is reported beside it for reference.
import pg from 'pg';
import { type CpuSnapshot, childrenOf, readProcStat, snapshotOf, ticksBetween, ticksToMs } from './proc.ts';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string, name: string): Promise<BenchDatabase> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface PgCpuReading {
  bench: CpuSnapshot;
  server: CpuSnapshot;
  /** Postmaster's own ticks plus its reaped children's. */
  postmasterTicks: number;
  benchBackends: number;
  /** pg_stat_database of the bench database: cumulative counters. */
  stats: DbStats;
}

export interface DbStats {
  xact_commit: number;
  xact_rollback: number;
  tup_returned: number;
  tup_fetched: number;
  tup_inserted: number;
  tup_updated: number;
  tup_deleted: number;
  blks_hit: number;
  blks_read: number;
}

export class PgCpuMeter {
  readonly #client: pg.Client;
  readonly #db: string;
  #postmaster: number | undefined;

  constructor(serverUrl: string, benchDb: string) {
    this.#client = new pg.Client({ connectionString: serverUrl });
    this.#db = benchDb;
  }

  /** False when the server's processes cannot be read (not on this machine, or no permission). */
  async open(): Promise<boolean> {
    await this.#client.connect();
    const { rows } = await this.#client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const me = readProcStat(rows[0]!.pid);
    if (!me) return false;
    this.#postmaster = me.ppid;
    return readProcStat(me.ppid) !== undefined;
  }

  get available(): boolean {
    return this.#postmaster !== undefined;
  }

  async read(): Promise<PgCpuReading | undefined> {
    if (this.#postmaster === undefined) return undefined;
    const { rows } = await this.#client.query<{ pid: number; datname: string | null; backend_type: string }>(
      'SELECT pid, datname, backend_type FROM pg_stat_activity',
    );
    const self = (await this.#client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const otherDb = new Set(
      rows.filter((r) => r.datname !== null && r.datname !== this.#db && r.pid !== self).map((r) => r.pid),
    );
    otherDb.add(self); // the meter's own backend is not the portal's work
    const benchPids = new Set(rows.filter((r) => r.datname === this.#db).map((r) => r.pid));
    const children = childrenOf(this.#postmaster);
    const pm = readProcStat(this.#postmaster)!;
    // Statistics reach pg_stat_database when a backend reports (at commit, at most every second or
    // so, PGSTAT_MIN_INTERVAL); read after a short settle, the counters are close enough.
    await this.#client.query('SELECT pg_stat_clear_snapshot()');
    const st = await this.#client.query<Record<keyof DbStats, string>>(
      `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted,
              blks_hit, blks_read FROM pg_stat_database WHERE datname = $1`,
      [this.#db],
    );
    const raw = st.rows[0];
    const stats = Object.fromEntries(
      Object.entries(raw ?? {}).map(([k, v]) => [k, Number(v)]),
    ) as unknown as DbStats;
    return {
      stats,
      bench: snapshotOf(children.filter((c) => !otherDb.has(c.pid))),
      server: snapshotOf(children),
      postmasterTicks: pm.utime + pm.stime + pm.cutime + pm.cstime,
      benchBackends: [...benchPids].filter((p) => p !== self).length,
    };
  }

  close(): Promise<void> {
    return this.#client.end();
  }
}

export interface PgCpuUsage {
  /** Counter deltas of pg_stat_database over the window (transactions, rows). */
  stats: DbStats;
  /** Bench database backends + auxiliary processes, ms. */
  benchMs: number;
  /** Every server process incl. other databases' backends and reaped children, ms. */
  serverMs: number;
  benchBackends: number;
}

export function pgCpuBetween(a: PgCpuReading, b: PgCpuReading): PgCpuUsage {
  const stats = Object.fromEntries(
    Object.keys(b.stats).map((k) => [k, b.stats[k as keyof DbStats] - (a.stats[k as keyof DbStats] ?? 0)]),
  ) as unknown as DbStats;
  return {
    stats,
    benchMs: ticksToMs(ticksBetween(a.bench, b.bench)),
    serverMs: ticksToMs(ticksBetween(a.server, b.server) + (b.postmasterTicks - a.postmasterTicks)),
    benchBackends: b.benchBackends,
  };
}
