// Databases for tests: PGlite always (from a template dump, since initdb takes seconds),
// and PostgreSQL whenever TEST_DATABASE_URL is set (a fresh database per call, dropped at close).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, openPglite, openPostgres } from '../../portal/store/db.ts';
import { listMigrations, migrate } from '../../portal/store/migrate.ts';

export type DatabaseKind = 'pglite' | 'postgres';

const root = path.resolve(import.meta.dirname, '../..');

function templatePath(): string {
  const hash = createHash('sha256');
  for (const m of listMigrations()) hash.update(m.name).update(m.sql);
  return path.join(root, '.tmp', `pglite-template-${hash.digest('hex').slice(0, 12)}.tar.gz`);
}

/** A migrated PGlite database in memory, started from a cached dump of a freshly migrated one. */
export async function openTestPglite(): Promise<DatabaseHandle> {
  const file = templatePath();
  if (!existsSync(file)) {
    const fresh = await openPglite(undefined);
    await migrate(fresh.db);
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await (await fresh.dump!()).arrayBuffer()));
    renameSync(tmp, file);
    return fresh;
  }
  const handle = await openPglite(undefined, new Blob([readFileSync(file)]));
  await migrate(handle.db);
  return handle;
}

/** A fresh, migrated PostgreSQL database; dropped when the handle is closed. */
export async function openTestPostgres(adminUrl: string): Promise<DatabaseHandle> {
  const name = `ro_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), 5);
  await migrate(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The database kinds this run covers: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function openTestDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    return openTestPostgres(url);
  }
  return openTestPglite();
}
