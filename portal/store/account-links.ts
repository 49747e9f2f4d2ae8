// Single-use links sent by email (table account_links): setting a password (purpose 'password')
// and confirming a new email address (purpose 'email'). Only the SHA-256 of a token is stored.
import type { QueryCreator } from 'kysely';
import { type NewOutboxMessage, outboxValues } from './outbox.ts';
import { camel, type Row, type Selected } from './rows.ts';
import type { Database, Queryable } from './schema.ts';
import type { AccountLinksTable } from './tables/generated.ts';

export type LinkPurpose = Selected<AccountLinksTable, 'purpose'>['purpose'];

const COLUMNS = ['id', 'user_id', 'purpose', 'new_email', 'created_at', 'expires_at', 'used_at'] as const;
type Column = (typeof COLUMNS)[number];

/** A link as read (never its token: only the token's hash is stored, and never read back). */
export type AccountLink = Omit<Row<AccountLinksTable, Column>, 'id'> & { id: string };

const toLink = (r: Selected<AccountLinksTable, Column>): AccountLink => ({ ...camel(r), id: String(r.id) });

export async function insertLink(
  db: Queryable,
  link: {
    userId: string;
    purpose: LinkPurpose;
    tokenHash: string;
    createdAt: Date;
    expiresAt: Date;
    newEmail?: string;
  },
  /** The email that carries the link, queued in the same statement. */
  message?: NewOutboxMessage,
): Promise<string> {
  const q: QueryCreator<Database> = message
    ? (db.with('message', (c) =>
        c.insertInto('outbox').values(outboxValues(message)),
      ) as unknown as QueryCreator<Database>)
    : db;
  const row = await q
    .insertInto('account_links')
    .values({
      user_id: link.userId,
      purpose: link.purpose,
      token_hash: link.tokenHash,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
      new_email: link.newEmail ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** A newer link replaces older unused ones of the same purpose: only the latest email works. */
export async function deleteUnusedLinks(db: Queryable, userId: string, purpose: LinkPurpose): Promise<void> {
  await db
    .deleteFrom('account_links')
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

export async function findLinkByHash(db: Queryable, tokenHash: string): Promise<AccountLink | undefined> {
  const r = await db
    .selectFrom('account_links')
    .select(COLUMNS)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r ? toLink(r) : undefined;
}

export async function findLinkById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<AccountLink | undefined> {
  let q = db.selectFrom('account_links').select(COLUMNS).where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toLink(r) : undefined;
}

/** Consumes a link once: false when it was already used (a second tab, a double click). */
export async function markLinkUsed(db: Queryable, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('account_links')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** When the last link of this purpose was issued to the user (for the cooldown). */
export async function lastLinkIssuedAt(
  db: Queryable,
  userId: string,
  purpose: LinkPurpose,
): Promise<Date | undefined> {
  const r = await db
    .selectFrom('account_links')
    .select((eb) => eb.fn.max('created_at').as('t'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return r?.t ? new Date(r.t as Date | string) : undefined;
}
