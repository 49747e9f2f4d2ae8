// Registration drafts: the stored STEP1–STEP2 flow (see portal/flows/registration/draft.ts).
import { type AuditEvent, auditing } from './audit.ts';
import { camel, type Row } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { RegistrationDraftsTable } from './tables/generated.ts';

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

export async function touchDraft(db: Queryable, id: string, updatedAt: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('registration_drafts')
    .set({ updated_at: updatedAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
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
