// Counters for sign-in, re-authentication and link requests (docs/decisions/0402-sign-in-throttling.md).
// An attempt is reserved BEFORE the password is checked, in one statement, so simultaneous
// requests (on one instance or on several sharing the database) cannot all pass a check made
// before any of them was counted.
import { sql } from 'kysely';
import type { Selected } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { SigninThrottleTable } from './tables/generated.ts';

export interface ThrottleRule {
  /** Attempts within the window; one more is refused. */
  max: number;
  windowMs: number;
  /** How long a key stays locked once it is refused; 0: no lock, refused until the window ends. */
  lockMs: number;
}

export type Reservation = { ok: true } | { ok: false; until: Date };

/**
 * Takes one attempt of the rule for the key, atomically: refused (and the key locked, if the
 * rule locks) while locked or when `max` attempts of the window are already taken — counted or
 * still being checked. A lock that has ended, or a window that has passed, starts a new count.
 */
export async function reserveAttempt(
  db: Queryable,
  key: string,
  now: Date,
  rule: ThrottleRule,
): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const lockEnd = rule.lockMs > 0 ? new Date(now.getTime() + rule.lockMs) : null;
  // In ON CONFLICT … DO UPDATE every expression reads the row as it was, hence the repetition.
  const locked = sql`(t.locked_until IS NOT NULL AND t.locked_until > ${now})`;
  const fresh = sql`(t.window_started_at <= ${windowStart} OR t.locked_until IS NOT NULL)`;
  const r = await sql<Selected<SigninThrottleTable, 'failures' | 'window_started_at' | 'locked_until'>>`
    INSERT INTO signin_throttle AS t (key, failures, window_started_at, locked_until, updated_at)
    VALUES (${key}, 1, ${now}, NULL, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN ${locked} THEN t.failures WHEN ${fresh} THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN ${locked} THEN t.window_started_at
                               WHEN ${fresh} THEN ${now} ELSE t.window_started_at END,
      locked_until = CASE WHEN ${locked} THEN t.locked_until
                          WHEN ${fresh} THEN NULL
                          WHEN t.failures >= ${rule.max} THEN ${lockEnd}::timestamptz
                          ELSE NULL END,
      updated_at = ${now}
    RETURNING failures, window_started_at, locked_until`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('signin_throttle upsert returned no row');
  const lockedUntil = row.locked_until ? new Date(row.locked_until) : undefined;
  if (lockedUntil && lockedUntil > now) return { ok: false, until: lockedUntil };
  if (row.failures > rule.max)
    return { ok: false, until: new Date(new Date(row.window_started_at).getTime() + rule.windowMs) };
  return { ok: true };
}

/**
 * A reserved attempt failed (a wrong password): its reservation stays counted. Locks the key
 * when the count reached the limit; returns the end of the lock in force, if any.
 */
export async function recordFailure(
  db: Queryable,
  key: string,
  now: Date,
  rule: ThrottleRule,
): Promise<Date | undefined> {
  const lockEnd = new Date(now.getTime() + rule.lockMs);
  const r = await sql<Selected<SigninThrottleTable, 'locked_until'>>`
    UPDATE signin_throttle AS t SET
      locked_until = CASE WHEN t.locked_until > ${now} THEN t.locked_until ELSE ${lockEnd}::timestamptz END,
      updated_at = ${now}
    WHERE t.key = ${key} AND (t.failures >= ${rule.max} OR t.locked_until > ${now})
    RETURNING locked_until`.execute(db);
  const until = r.rows[0]?.locked_until;
  return until ? new Date(until) : undefined;
}

/**
 * A reserved attempt succeeded (the right password): the count starts again — but never while
 * the key is locked, so a lock always runs its course.
 */
export async function resetAttempts(db: Queryable, key: string, now: Date): Promise<void> {
  await sql`
    UPDATE signin_throttle AS t SET failures = 0, window_started_at = ${now}, updated_at = ${now}
    WHERE t.key = ${key} AND (t.locked_until IS NULL OR t.locked_until <= ${now})`.execute(db);
}

/**
 * Gives back one reserved attempt that turned out not to count (a success from an address, whose
 * other failures stay counted; a request refused by another limit before anything was checked).
 * Never touches a lock.
 */
export async function returnAttempt(db: Queryable, key: string, now: Date): Promise<void> {
  await sql`
    UPDATE signin_throttle AS t SET failures = GREATEST(t.failures - 1, 0), updated_at = ${now}
    WHERE t.key = ${key} AND (t.locked_until IS NULL OR t.locked_until <= ${now})`.execute(db);
}
