import { sql } from 'kysely';
import type { Queryable } from './schema.ts';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

export interface NewOutboxMessage {
  template: string;
  to: string;
  lang: 'ja' | 'en' | 'ja-easy';
  payload: Record<string, unknown>;
  /** Already encrypted (portal/mail/secret.ts). */
  secretCiphertext?: string;
}

export interface ClaimedMessage {
  id: string;
  template: string;
  to: string;
  lang: 'ja' | 'en' | 'ja-easy';
  payload: Record<string, unknown>;
  secretCiphertext: string | null;
  attempts: number;
}

export async function insertOutbox(db: Queryable, m: NewOutboxMessage): Promise<string> {
  const row = await db
    .insertInto('outbox')
    .values({
      template: m.template,
      to_address: m.to,
      lang: m.lang,
      payload: JSON.stringify(m.payload),
      secret_ciphertext: m.secretCiphertext ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * Takes up to `limit` due messages for this worker: queued ones whose time has come, and
 * 'sending' ones whose lease ran out (their worker died). SKIP LOCKED lets several workers
 * claim at once without waiting on or taking each other's rows.
 */
export async function claimOutbox(
  db: Queryable,
  workerId: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedMessage[]> {
  const until = new Date(now.getTime() + leaseMs);
  const result = await sql<{
    id: string;
    template: string;
    to_address: string;
    lang: 'ja' | 'en' | 'ja-easy';
    payload: Record<string, unknown> | string;
    secret_ciphertext: string | null;
    attempts: number;
  }>`
    UPDATE outbox o
       SET state = 'sending', locked_by = ${workerId}, locked_until = ${until}, attempts = o.attempts + 1
      FROM (
        SELECT id FROM outbox
         WHERE (state = 'queued' AND next_attempt_at <= ${now})
            OR (state = 'sending' AND locked_until < ${now})
         ORDER BY next_attempt_at, id
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
      ) due
     WHERE o.id = due.id
    RETURNING o.id, o.template, o.to_address, o.lang, o.payload, o.secret_ciphertext, o.attempts`.execute(db);
  return result.rows
    .map((r) => ({
      id: String(r.id),
      template: r.template,
      to: r.to_address,
      lang: r.lang,
      payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      secretCiphertext: r.secret_ciphertext,
      attempts: r.attempts,
    }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** Sent: the secret is erased. Only if this worker still holds the lease. */
export async function markSent(db: Queryable, id: string, workerId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({
      state: 'sent',
      sent_at: now,
      secret_ciphertext: null,
      last_error: null,
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markRetry(
  db: Queryable,
  id: string,
  workerId: string,
  nextAttemptAt: Date,
  error: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      state: 'queued',
      next_attempt_at: nextAttemptAt,
      last_error: error.slice(0, 500),
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Given up: the secret is erased too (the user can ask for a new link). */
export async function markFailed(db: Queryable, id: string, workerId: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      state: 'failed',
      secret_ciphertext: null,
      last_error: error.slice(0, 500),
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** A worker stopping gracefully hands back what it claimed but did not try. */
export async function releaseClaims(db: Queryable, ids: string[], workerId: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set((eb) => ({
      state: 'queued',
      locked_by: null,
      locked_until: null,
      attempts: eb('attempts', '-', 1),
    }))
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .where('state', '=', 'sending')
    .execute();
}

export interface OutboxSummary {
  counts: Record<OutboxState, number>;
  oldestDueSeconds: number | null;
}

export async function outboxSummary(db: Queryable, now: Date): Promise<OutboxSummary> {
  const rows = await db
    .selectFrom('outbox')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state')
    .execute();
  const counts: Record<OutboxState, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.state] = Number(r.n);
  const oldest = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('t'))
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirst();
  const t = oldest?.t ? new Date(oldest.t as Date | string) : undefined;
  return {
    counts,
    oldestDueSeconds: t ? Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000)) : null,
  };
}

export interface OutboxListRow {
  id: string;
  template: string;
  state: OutboxState;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

/** For operators: no addresses, payloads or secrets. */
export async function listOutbox(
  db: Queryable,
  options: { state?: OutboxState; limit?: number } = {},
): Promise<OutboxListRow[]> {
  let q = db
    .selectFrom('outbox')
    .select(['id', 'template', 'state', 'attempts', 'created_at', 'next_attempt_at', 'sent_at', 'last_error'])
    .orderBy('id', 'desc')
    .limit(options.limit ?? 20);
  if (options.state) q = q.where('state', '=', options.state);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: String(r.id),
    template: r.template,
    state: r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    lastError: r.last_error,
  }));
}

/** Operator action: try a failed message again (see outbox-cli.ts: not for messages that carried a link). */
export async function requeueFailed(db: Queryable, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ state: 'queued', next_attempt_at: now, attempts: 0 })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
