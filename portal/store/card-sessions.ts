// Card sessions (one per card step): created with a nonce, consumed once by the callback,
// collected once by the browser that started it.
import { type QueryCreator, sql } from 'kysely';
import { type AuditEvent, auditing } from './audit.ts';
import { camel, type Row, type Selected } from './rows.ts';
import type { Database, Queryable } from './schema.ts';
import type { CardSessionsTable } from './tables/generated.ts';

const COLUMNS = [
  'id',
  'browser_session_id',
  'purpose',
  'origin',
  'expires_at',
  'used_at',
  'outcome',
  'error_code',
  'result',
  'continued_at',
] as const;
type Column = (typeof COLUMNS)[number];
/** The columns as SQL, built once (collectCardSession's raw statement). */
const COLUMN_LIST = sql.join(COLUMNS.map((c) => sql.ref(c)));
const OLD_COLUMN_LIST = sql.join(COLUMNS.map((c) => sql.ref(`old.${c}`)));

export type CardSessionRow = Row<CardSessionsTable, Column>;
export type CardPurpose = CardSessionRow['purpose'];

export async function insertCardSession(
  db: Queryable,
  s: {
    id: string;
    nonceHash: string;
    browserSessionId: string;
    purpose: CardPurpose;
    origin: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('card_sessions')
    .values({
      id: s.id,
      nonce_hash: s.nonceHash,
      browser_session_id: s.browserSessionId,
      purpose: s.purpose,
      origin: s.origin,
      expires_at: s.expiresAt,
    })
    .execute();
}

export type ConsumeResult =
  | { kind: 'consumed'; session: CardSessionRow }
  | { kind: 'unknown' }
  | { kind: 'used'; session: CardSessionRow };

/** Marks the nonce used in one statement, so two callbacks with one nonce cannot both proceed. */
export async function consumeCardSession(
  db: Queryable,
  nonceHash: string,
  now: Date,
): Promise<ConsumeResult> {
  const row = await db
    .updateTable('card_sessions')
    .set({ used_at: now })
    .where('nonce_hash', '=', nonceHash)
    .where('used_at', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst();
  if (row) return { kind: 'consumed', session: camel(row) };
  const used = await db
    .selectFrom('card_sessions')
    .select(COLUMNS)
    .where('nonce_hash', '=', nonceHash)
    .executeTakeFirst();
  return used ? { kind: 'used', session: camel(used) } : { kind: 'unknown' };
}

/**
 * The callback's outcome. A verified one is stored with the digest of what the browser will be
 * given (see redeemCardSession) and, with `audit`, that event in the same statement.
 */
export async function recordCardOutcome(
  db: Queryable,
  id: string,
  outcome: { ok: true; result: Record<string, unknown> } | { ok: false; code: string },
  verified?: { digest: string; audit?: AuditEvent },
): Promise<void> {
  await auditing(db, verified?.audit)
    .updateTable('card_sessions')
    .set(
      outcome.ok
        ? {
            outcome: 'verified',
            result: JSON.stringify(outcome.result),
            error_code: null,
            result_digest: verified?.digest ?? null,
          }
        : { outcome: 'failed', error_code: outcome.code },
    )
    .where('id', '=', id)
    .execute();
}

/** Hands the outcome to the browser once; a second /card/continue with the same id finds nothing. */
export async function collectCardSession(
  db: Queryable,
  id: string,
  now: Date,
): Promise<CardSessionRow | undefined> {
  // One statement: mark it collected and erase the result (the holder's name and date of birth,
  // kept no longer than needed), returning the row as it was before the update.
  const result = await sql<Selected<CardSessionsTable, Column>>`
    WITH old AS (
      SELECT ${COLUMN_LIST} FROM card_sessions
       WHERE id = ${id} AND continued_at IS NULL AND outcome IS NOT NULL
       FOR UPDATE
    )
    UPDATE card_sessions c SET continued_at = ${now}, result = NULL
      FROM old WHERE c.id = old.id
    RETURNING ${OLD_COLUMN_LIST}`.execute(db);
  const row = result.rows[0];
  return row ? camel(row) : undefined;
}

export interface CardRedemption {
  id: string;
  browserSessionId: string;
  purpose: CardPurpose;
  resultDigest: string;
  verifiedAfter: Date;
  now: Date;
}

/**
 * Redeems a collected, verified card session for good, in one statement; true only for the
 * first caller, and only if the result the browser brings back is the one it was given (same
 * digest), by the same browser session, for the same purpose, verified after `verifiedAfter`.
 * So a card-step result carried in the (cookie) session can be used once, and a session
 * sealed by anyone else carries none.
 */
export async function redeemCardSession(db: Queryable, r: CardRedemption): Promise<boolean> {
  const row = await redeemCardSessionQuery(db, r).executeTakeFirst();
  return row !== undefined;
}

/**
 * The redemption as a statement that returns the row's id when it succeeds: run alone by
 * redeemCardSession, or as a CTE of the statement that uses the result (store/drafts.ts).
 * Marked, not deleted: a nonce posted again still finds its row and is told "already used".
 */
export const redeemCardSessionQuery = (db: QueryCreator<Database>, r: CardRedemption) =>
  db
    .updateTable('card_sessions')
    .set({ redeemed_at: r.now })
    .where('id', '=', r.id)
    .where('redeemed_at', 'is', null)
    .where('browser_session_id', '=', r.browserSessionId)
    .where('purpose', '=', r.purpose)
    .where('outcome', '=', 'verified')
    .where('continued_at', 'is not', null)
    .where('result_digest', '=', r.resultDigest)
    .where('used_at', '>=', r.verifiedAfter)
    .returning('id');

export async function findCardSession(db: Queryable, id: string): Promise<CardSessionRow | undefined> {
  const row = await db.selectFrom('card_sessions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? camel(row) : undefined;
}

export async function deleteExpiredCardSessions(db: Queryable, before: Date): Promise<void> {
  await db.deleteFrom('card_sessions').where('expires_at', '<', before).execute();
}
