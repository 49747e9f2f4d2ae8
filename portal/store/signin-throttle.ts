import { sql } from 'kysely';
import type { Queryable } from './schema.ts';

export interface ThrottleRule {
  /** Hits within the window that lock the key. */
  max: number;
  windowMs: number;
  lockMs: number;
}

/** When the key is locked, until when; undefined when it is not. */
export async function lockedUntil(db: Queryable, key: string, now: Date): Promise<Date | undefined> {
  const r = await db
    .selectFrom('signin_throttle')
    .select('locked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  const until = r?.locked_until ? new Date(r.locked_until) : undefined;
  return until && until > now ? until : undefined;
}

/**
 * Counts one hit (a failed sign-in, a link request) in a fixed window, atomically, so
 * concurrent requests on several portal instances count correctly. Returns the lock end when
 * this hit reached the limit.
 */
export async function recordHit(
  db: Queryable,
  key: string,
  now: Date,
  rule: ThrottleRule,
): Promise<Date | undefined> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const r = await sql<{ failures: number }>`
    INSERT INTO signin_throttle (key, failures, window_started_at, updated_at)
    VALUES (${key}, 1, ${now}, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN signin_throttle.window_started_at < ${windowStart} THEN 1
                      ELSE signin_throttle.failures + 1 END,
      window_started_at = CASE WHEN signin_throttle.window_started_at < ${windowStart} THEN ${now}
                               ELSE signin_throttle.window_started_at END,
      updated_at = ${now}
    RETURNING failures`.execute(db);
  const failures = r.rows[0]?.failures ?? 0;
  if (failures < rule.max) return undefined;
  const until = new Date(now.getTime() + rule.lockMs);
  await db
    .updateTable('signin_throttle')
    .set({ locked_until: until, failures: 0, window_started_at: now, updated_at: now })
    .where('key', '=', key)
    .execute();
  return until;
}

export async function clearThrottle(db: Queryable, key: string): Promise<void> {
  await db.deleteFrom('signin_throttle').where('key', '=', key).execute();
}
