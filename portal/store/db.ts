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

export async function openPostgres(connectionString: string, max = 10): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString, max });
  prepareStatements(pool);
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) }) as Db;
  return { db, kind: 'postgres', close: () => db.destroy() };
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
