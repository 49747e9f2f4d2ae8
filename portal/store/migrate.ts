import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './schema.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(dir + name, 'utf8') }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction, in file-name order.
 * An advisory lock makes concurrent starts of several portal instances wait for each other.
 */
export async function migrate(db: Db, log: (line: string) => void = () => {}): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(727274)`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
      const done = new Set(
        (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(conn)).rows.map(
          (r) => r.name,
        ),
      );
      for (const m of listMigrations()) {
        if (done.has(m.name)) continue;
        await conn.transaction().execute(async (trx) => {
          // One statement at a time: PGlite's extended protocol takes a single statement per query.
          for (const statement of splitStatements(m.sql)) await sql.raw(statement).execute(trx);
          await sql`INSERT INTO schema_migrations (name) VALUES (${m.name})`.execute(trx);
        });
        applied.push(m.name);
        log(`migration applied: ${m.name}`);
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(727274)`.execute(conn);
    }
  });
  return applied;
}

/** Splits a migration file on semicolons that end a line, outside dollar-quoted bodies. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of text.split('\n')) {
    const stripped = line.replace(/--.*$/, '');
    if ((stripped.match(/\$\$/g) ?? []).length % 2 === 1) inDollar = !inDollar;
    current += `${line}\n`;
    if (!inDollar && /;\s*$/.test(stripped)) {
      if (current.replace(/--.*$/gm, '').trim()) out.push(current.trim());
      current = '';
    }
  }
  if (current.replace(/--.*$/gm, '').trim()) out.push(current.trim());
  return out;
}
