// Registration drafts: the stored STEP1–STEP2 flow (see portal/flows/registration/draft.ts).
import { sql } from 'kysely';
import { type AuditEvent, auditing } from './audit.ts';
import { accountsWithBasic4, type Basic4Key } from './card-renewal.ts';
import { type CardRedemption, redeemCardSessionQuery } from './card-sessions.ts';
import { camel, type Row, type Selected } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { RegistrationDraftsTable } from './tables/generated.ts';
import { type CardKey, fillCardIdentity, isCard } from './user-cards.ts';

const COLUMNS = [
  'id',
  'browser_session_id',
  'card_session_id',
  'auth_cert_fingerprint',
  'auth_cert_serial',
  'card_identity',
  'state',
  'data',
  'version',
  'updated_at',
  'expires_at',
] as const;

type Column = (typeof COLUMNS)[number];
/** The columns as SQL, built once (raw statements below). */
const COLUMN_LIST = sql.join(COLUMNS.map((c) => sql.ref(c)));

/**
 * A draft as stored; `data` is the flow's JSON object (portal/flows/registration/draft.ts reads it
 * back), `cardIdentity` null in drafts from before 0301.
 */
export type DraftRow = Row<RegistrationDraftsTable, Column>;

/** What a draft is written with: the data is any object the flow keeps (stored as JSON). */
type DraftWrite = Omit<DraftRow, 'data'> & { data: object };

export async function insertDraft(
  db: Queryable,
  d: Omit<DraftWrite, 'version' | 'state'> & { state?: DraftRow['state'] },
): Promise<void> {
  await db
    .insertInto('registration_drafts')
    .values({
      id: d.id,
      browser_session_id: d.browserSessionId,
      card_session_id: d.cardSessionId,
      auth_cert_fingerprint: d.authCertFingerprint,
      auth_cert_serial: d.authCertSerial,
      card_identity: d.cardIdentity,
      state: d.state ?? 'entering',
      data: JSON.stringify(d.data),
      updated_at: d.updatedAt,
      expires_at: d.expiresAt,
    })
    .execute();
}

export async function findDraft(db: Queryable, id: string, forUpdate = false): Promise<DraftRow | undefined> {
  let q = db.selectFrom('registration_drafts').select(COLUMNS).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? camel(row) : undefined;
}

export async function updateDraft(
  db: Queryable,
  d: Pick<DraftWrite, 'id' | 'state' | 'data' | 'updatedAt' | 'expiresAt'>,
): Promise<void> {
  await db
    .updateTable('registration_drafts')
    .set((eb) => ({
      state: d.state,
      data: JSON.stringify(d.data),
      updated_at: d.updatedAt,
      expires_at: d.expiresAt,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', d.id)
    .execute();
}

/**
 * Right after a card step, one statement in place of four round trips: redeems the card session
 * (card-sessions.ts, the same conditions as redeemCardSession), deletes the browser's previous
 * draft, and inserts the new draft only if the redemption succeeded and the card is not linked to
 * a user (filling in the identity of a card linked before 0301, as findUserIdByCard does); it
 * also says whether an account with the card's name, sex and date of birth exists
 * (STEP1's renewal hint, decision 0702). One statement is one transaction: all or nothing.
 */
export async function startDraftFromCard(
  db: Queryable,
  p: {
    redemption: CardRedemption;
    previousDraftId: string | undefined;
    card: CardKey;
    draft: Omit<DraftWrite, 'version' | 'state'>;
    basic4: Basic4Key | undefined;
  },
): Promise<{ redeemed: boolean; cardRegistered: boolean; created: boolean; accountWithBasic4: boolean }> {
  const d = p.draft;
  const b = p.basic4;
  const row = await db
    .with('redeemed', (c) => redeemCardSessionQuery(c, p.redemption))
    .with('dropped', (c) =>
      c
        .deleteFrom('registration_drafts')
        .where('id', '=', p.previousDraftId ?? '')
        .returning('id'),
    )
    .with('taken', (c) => c.selectFrom('user_cards').select('user_id').where(isCard(p.card)).limit(1))
    // A card linked before 0301 is refused as registered and gets its identity, as findUserIdByCard does.
    .with('filled', () => fillCardIdentity(db, p.card).returning('user_id'))
    .with('created', (c) =>
      c
        .insertInto('registration_drafts')
        .columns([
          'id',
          'browser_session_id',
          'card_session_id',
          'auth_cert_fingerprint',
          'auth_cert_serial',
          'card_identity',
          'data',
          'updated_at',
          'expires_at',
        ])
        .expression((eb) =>
          eb
            .selectFrom('redeemed')
            .select([
              sql<string>`${d.id}::text`.as('id'),
              sql<string>`${d.browserSessionId}::text`.as('browser_session_id'),
              sql<string>`${d.cardSessionId}::text`.as('card_session_id'),
              sql<string>`${d.authCertFingerprint}::text`.as('auth_cert_fingerprint'),
              sql<string>`${d.authCertSerial}::text`.as('auth_cert_serial'),
              sql<string | null>`${d.cardIdentity}::text`.as('card_identity'),
              sql<string>`${JSON.stringify(d.data)}::jsonb`.as('data'),
              sql<Date>`${d.updatedAt}::timestamptz`.as('updated_at'),
              sql<Date>`${d.expiresAt}::timestamptz`.as('expires_at'),
            ])
            .where((w) => w.not(w.exists(w.selectFrom('taken').select('user_id')))),
        )
        .returning('id'),
    )
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('redeemed').select('id')).as('redeemed'),
      eb.exists(eb.selectFrom('taken').select('user_id')).as('card_registered'),
      eb.exists(eb.selectFrom('created').select('id')).as('created'),
      b
        ? eb.exists(accountsWithBasic4(db, b)).as('account_with_basic4')
        : sql<boolean>`false`.as('account_with_basic4'),
    ])
    .executeTakeFirstOrThrow();
  return {
    redeemed: Boolean(row.redeemed),
    cardRegistered: Boolean(row.card_registered),
    created: Boolean(row.created),
    accountWithBasic4: Boolean(row.account_with_basic4),
  };
}

/**
 * The draft, and — in the same statement — its expiry moved to `touch.expiresAt` if it is still
 * live for this browser session and its stored expiry is at or before `touch.ifExpiresBefore`
 * (a page view right after a save costs no write). Returns the row as it is afterwards.
 */
export async function findDraftKeepingAlive(
  db: Queryable,
  id: string,
  touch: { browserSessionId: string; now: Date; expiresAt: Date; ifExpiresBefore: Date },
): Promise<DraftRow | undefined> {
  const result = await sql<Selected<RegistrationDraftsTable, Column>>`
    WITH touched AS (
      UPDATE registration_drafts SET updated_at = ${touch.now}, expires_at = ${touch.expiresAt}
       WHERE id = ${id} AND browser_session_id = ${touch.browserSessionId}
         AND expires_at > ${touch.now} AND expires_at <= ${touch.ifExpiresBefore}
      RETURNING ${COLUMN_LIST}
    )
    SELECT ${COLUMN_LIST} FROM touched
    UNION ALL
    SELECT ${COLUMN_LIST} FROM registration_drafts WHERE id = ${id} AND NOT EXISTS (SELECT 1 FROM touched)`.execute(
    db,
  );
  const row = result.rows[0];
  return row ? camel(row) : undefined;
}

/** With `audit`, writes that event in the same statement. */
export async function deleteDraft(db: Queryable, id: string, audit?: AuditEvent): Promise<void> {
  await auditing(db, audit).deleteFrom('registration_drafts').where('id', '=', id).execute();
}

/** Expired drafts go in batches, oldest first (their entries are personal data). */
export async function deleteExpiredDrafts(db: Queryable, before: Date, limit = 1000): Promise<void> {
  await db
    .deleteFrom('registration_drafts')
    .where(
      'id',
      'in',
      db
        .selectFrom('registration_drafts')
        .select('id')
        .where('expires_at', '<', before)
        .orderBy('expires_at')
        .limit(limit),
    )
    .execute();
}
