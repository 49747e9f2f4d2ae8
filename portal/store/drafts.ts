// Registration drafts: the stored STEP1–STEP2 flow (see portal/flows/registration/draft.ts).
import { type AuditEvent, auditing } from './audit.ts';
import type { Queryable } from './schema.ts';

export interface DraftRow {
  id: string;
  browserSessionId: string;
  cardSessionId: string;
  authCertFingerprint: string;
  authCertSerial: string;
  /** The card's identity (SHA-256 of the auth certificate's TBS); null in drafts from before 0301. */
  cardIdentity: string | null;
  state: 'entering' | 'confirming';
  data: Record<string, unknown>;
  version: number;
  updatedAt: Date;
  expiresAt: Date;
}

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

type Row = {
  id: string;
  browser_session_id: string;
  card_session_id: string;
  auth_cert_fingerprint: string;
  auth_cert_serial: string;
  card_identity: string | null;
  state: 'entering' | 'confirming';
  data: Record<string, unknown>;
  version: number;
  updated_at: Date;
  expires_at: Date;
};

const fromRow = (r: Row): DraftRow => ({
  id: r.id,
  browserSessionId: r.browser_session_id,
  cardSessionId: r.card_session_id,
  authCertFingerprint: r.auth_cert_fingerprint,
  authCertSerial: r.auth_cert_serial,
  cardIdentity: r.card_identity,
  state: r.state,
  data: r.data,
  version: r.version,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
});

export async function insertDraft(
  db: Queryable,
  d: Omit<DraftRow, 'version' | 'state'> & { state?: DraftRow['state'] },
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
  return row ? fromRow(row) : undefined;
}

export async function updateDraft(
  db: Queryable,
  d: Pick<DraftRow, 'id' | 'state' | 'data' | 'updatedAt' | 'expiresAt'>,
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
