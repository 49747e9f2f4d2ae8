import { sql } from 'kysely';
import { camel, type Row, type Selected } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { OutboxTable } from './tables/generated.ts';

export type OutboxState = Selected<OutboxTable, 'state'>['state'];

export interface NewOutboxMessage {
  template: string;
  to: string;
  lang: 'ja' | 'en' | 'ja-easy';
  payload: Record<string, unknown>;
  /** Already encrypted (portal/mail/secret.ts). */
  secretCiphertext?: string;
}

/** A message a worker took: its template, payload, encrypted secret and attempt count, as stored. */
export type ClaimedMessage = Row<OutboxTable, 'template' | 'payload' | 'secret_ciphertext' | 'attempts'> & {
  id: string;
  to: string;
  lang: 'ja' | 'en' | 'ja-easy';
  /** Stable per row: every attempt sends the same Message-ID. */
  messageId: string;
};

/**
 * The row of a new message (also written by insertLink in the same statement as its link). It is
 * due at once by this process's clock, the clock a worker compares it with (claimOutbox): with the
 * column's default, PostgreSQL's now() in microseconds, a message queued and claimed within the
 * same millisecond was "not yet due" (18 of 40 in a test), and PGlite's clock ran a few
 * milliseconds ahead of Date under load (8 of 40 in a CI run).
 */
export const outboxValues = (m: NewOutboxMessage) => ({
  next_attempt_at: new Date(),
  template: m.template,
  to_address: m.to,
  lang: m.lang,
  payload: JSON.stringify(m.payload),
  secret_ciphertext: m.secretCiphertext ?? null,
});

export async function insertOutbox(db: Queryable, m: NewOutboxMessage): Promise<string> {
  const row = await db.insertInto('outbox').values(outboxValues(m)).returning('id').executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * Takes up to `limit` due messages for this worker: queued ones whose time has come, and
 * 'sending' ones whose lease ran out (their worker died). SKIP LOCKED lets several workers
 * claim at once without waiting on or taking each other's rows. The first claim records the
 * row's Message-ID (`<outbox-ID@messageDomain>`); later claims keep it.
 */
export async function claimOutbox(
  db: Queryable,
  workerId: string,
  now: Date,
  leaseMs: number,
  limit: number,
  messageDomain = 'residence.localhost',
): Promise<ClaimedMessage[]> {
  const until = new Date(now.getTime() + leaseMs);
  // The payload may come back as text from this raw statement, hence `| string`.
  const result = await sql<
    Selected<OutboxTable, 'id' | 'template' | 'to_address' | 'lang' | 'secret_ciphertext' | 'attempts'> & {
      payload: Record<string, unknown> | string;
      message_id: string;
    }
  >`
    UPDATE outbox o
       SET state = 'sending', locked_by = ${workerId}, locked_until = ${until}, attempts = o.attempts + 1,
           message_id = COALESCE(o.message_id, '<outbox-' || o.id || '@' || ${messageDomain}::text || '>')
      FROM (
        SELECT id FROM outbox
         WHERE (state = 'queued' AND next_attempt_at <= ${now})
            OR (state = 'sending' AND locked_until < ${now})
         ORDER BY next_attempt_at, id
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
      ) due
     WHERE o.id = due.id
    RETURNING o.id, o.template, o.to_address, o.lang, o.payload, o.secret_ciphertext, o.attempts, o.message_id`.execute(
    db,
  );
  return result.rows
    .map(
      (r): ClaimedMessage => ({
        id: String(r.id),
        template: r.template,
        to: r.to_address,
        // Written by insertOutbox from a 'ja' | 'en' | 'ja-easy'.
        lang: r.lang === 'en' || r.lang === 'ja-easy' ? r.lang : 'ja',
        payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
        secretCiphertext: r.secret_ciphertext,
        attempts: r.attempts,
        messageId: r.message_id,
      }),
    )
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Sent, several rows in one statement (the messages a worker sent side by side): the secrets are
 * erased. Returns the ids this worker still held the lease of.
 */
export async function markSentMany(
  db: Queryable,
  ids: string[],
  workerId: string,
  now: Date,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('outbox')
    .set({
      state: 'sent',
      sent_at: now,
      secret_ciphertext: null,
      last_error: null,
      locked_by: null,
      locked_until: null,
    })
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .returning('id')
    .execute();
  return rows.map((r) => String(r.id));
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

const LIST_COLUMNS = [
  'id',
  'template',
  'state',
  'attempts',
  'created_at',
  'next_attempt_at',
  'sent_at',
  'last_error',
] as const;

export type OutboxListRow = Omit<Row<OutboxTable, (typeof LIST_COLUMNS)[number]>, 'id'> & { id: string };

/** For operators: no addresses, payloads or secrets. */
export async function listOutbox(
  db: Queryable,
  options: { state?: OutboxState; limit?: number } = {},
): Promise<OutboxListRow[]> {
  let q = db
    .selectFrom('outbox')
    .select(LIST_COLUMNS)
    .orderBy('id', 'desc')
    .limit(options.limit ?? 20);
  if (options.state) q = q.where('state', '=', options.state);
  const rows = await q.execute();
  return rows.map((r) => ({ ...camel(r), id: String(r.id) }));
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
