import { camel, type Row } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { SessionsTable } from './tables/generated.ts';

const COLUMNS = ['id', 'csrf_token', 'user_id', 'data', 'created_at', 'last_seen_at', 'expires_at'] as const;

/**
 * A stored session. `createdAt`: when the session began (sign-in, for a signed-in one): the
 * absolute lifetime counts from here.
 */
export type SessionRow = Row<SessionsTable, (typeof COLUMNS)[number]>;

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const row = await db.selectFrom('sessions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? camel(row) : undefined;
}

export async function insertSession(db: Queryable, s: SessionRow): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      csrf_token: s.csrfToken,
      user_id: s.userId,
      data: JSON.stringify(s.data),
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function updateSession(db: Queryable, s: SessionRow): Promise<void> {
  await db
    .updateTable('sessions')
    .set({
      user_id: s.userId,
      csrf_token: s.csrfToken,
      data: JSON.stringify(s.data),
      last_seen_at: s.lastSeenAt,
      expires_at: s.expiresAt,
    })
    .where('id', '=', s.id)
    .execute();
}

export async function touchSession(
  db: Queryable,
  id: string,
  lastSeenAt: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Removes expired sessions in batches, oldest first, so a large backlog never locks the table for long. */
export async function deleteExpiredSessions(db: Queryable, now: Date, batch = 1000): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where(
      'id',
      'in',
      db.selectFrom('sessions').select('id').where('expires_at', '<', now).orderBy('expires_at').limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
