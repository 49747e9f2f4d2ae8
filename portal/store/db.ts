import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Db } from './schema.ts';

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PGlite only: a gzip tar of the data directory (tests start new instances from it). */
  dump?(): Promise<Blob>;
  /** PostgreSQL only: the pool's connections (for /metrics). */
  pool?(): { total: number; idle: number; waiting: number; max: number };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/**
 * Whether an error means the database did not answer (down, restarting, unreachable), as opposed
 * to a fault in the query: such a request may simply be tried again (the "try again" page).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|database timeout/.test(
    message,
  );
}

// DATE columns come back as 'YYYY-MM-DD' strings, not as local-midnight Date objects.
pg.types.setTypeParser(1082, (v: string) => v);

/** Distinct statement texts kept prepared per connection; any beyond run unnamed as before. */
const MAX_PREPARED = 500;

/**
 * Every parameterised statement runs as a named prepared statement: PostgreSQL parses and plans
 * its text once per connection instead of on each execution, and the client sends only Bind and
 * Execute afterwards. Names come from the text, so the same statement has the same name on
 * every connection. Statements without parameters (BEGIN, COMMIT, migrations, which may hold
 * several statements) keep the simple protocol. See docs/decisions/1002-database-round-trips.md.
 */
export function prepareStatements(pool: pg.Pool, max = MAX_PREPARED): void {
  const names = new Map<string, string>();
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback)
        return query(text, values, callback);
      let name = names.get(text);
      if (name === undefined && names.size < max) {
        name = `ro_${names.size.toString(36)}`;
        names.set(text, name);
      }
      return name === undefined ? query(text, values) : query({ name, text, values });
    };
  });
}

/**
 * A pool that outlives the server: when PostgreSQL restarts, its idle connections end with an
 * error (logged by `onIdleError`, not thrown: unhandled it would end the process) and the next
 * query opens new ones; so do connections in use. Waiting for a connection is bounded (5 s), so a request during an outage
 * ends with the "try again" page instead of hanging.
 */
export async function openPostgres(
  connectionString: string,
  max = 10,
  onIdleError: (err: Error) => void = (err) =>
    console.warn(`database: idle connection closed (${err.message})`),
): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  pool.on('error', onIdleError);
  // A connection in use but between statements (inside a transaction, or just taken from the
  // pool) gets the server's "terminating connection" as an event, not as a query error: without
  // a listener that would end the process. Its next statement fails and the pool drops it.
  pool.on('connect', (client) => client.on('error', () => {}));
  prepareStatements(pool);
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) }) as Db;
  return {
    db,
    kind: 'postgres',
    close: () => db.destroy(),
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
  };
}

const PGLITE_SHARED_BUFFERS = '16MB';

/**
 * The embedded default: PostgreSQL compiled to WASM, in this process, files under dataDir.
 * The first start runs initdb (several seconds); reopening takes about a second.
 * `loadDataDir` starts from a dump (tests use one template instead of running initdb each time).
 */
export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<DatabaseHandle> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { PgliteDialect } = await import('./pglite-dialect.ts');
  if (dataDir) mkdirSync(path.dirname(dataDir), { recursive: true });
  const client = await PGlite.create({
    // 16 MB of shared buffers instead of PostgreSQL's 128 MB: the WASM heap only grows, and one
    // process's working set fits (decision 1004).
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: { [types.DATE]: (v: string) => v },
  });
  const db = new Kysely({ dialect: new PgliteDialect(client) }) as Db;
  return {
    db,
    kind: 'pglite',
    dump: () => client.dumpDataDir('gzip'),
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

export function openDatabase(
  databaseUrl: string | undefined,
  dataDir: string,
  poolSize = 10,
): Promise<DatabaseHandle> {
  return databaseUrl ? openPostgres(databaseUrl, poolSize) : openPglite(path.join(dataDir, 'pglite'));
}
