// STEP2's Registration as one statement (docs/decisions/1002-database-round-trips.md): the draft
// is deleted and, only if that happened, the user, its card link, the password link, the
// completion email and the audit event are inserted. One statement is one transaction: a
// conflict anywhere (the User ID drawn, the card) aborts all of it, so nothing is half-written.
import { sql } from 'kysely';
import type { Registration } from '../domain/registration.ts';
import type { AuditEvent } from './audit.ts';
import { type NewOutboxMessage, outboxValues } from './outbox.ts';
import type { Queryable } from './schema.ts';

export interface RegistrationWrite {
  draft: { id: string; version: number; browserSessionId: string };
  userId: string;
  entries: Registration;
  lang: 'ja' | 'en' | 'ja-easy';
  card: { identity: string | null; fingerprint: string; serial: string };
  /** The password-setting link (its token's hash) and the email that carries it. */
  link: { tokenHash: string; createdAt: Date; expiresAt: Date };
  message: NewOutboxMessage;
  audit: AuditEvent;
}

/**
 * 'inserted'; 'draft_changed' when the draft is gone or was saved again since it was read (a
 * second click finds the first one's user, store/user-cards.ts findUserByRegistrationDraft);
 * 'id_taken' when the User ID collided (draw another); 'card_taken' when the card is linked.
 */
export async function insertRegistration(
  db: Queryable,
  w: RegistrationWrite,
): Promise<'inserted' | 'draft_changed' | 'id_taken' | 'card_taken'> {
  const r = w.entries;
  const m = outboxValues(w.message);
  const a = w.audit;
  try {
    const result = await sql<{ drafts: number }>`
      WITH d AS (
        DELETE FROM registration_drafts
         WHERE id = ${w.draft.id} AND version = ${w.draft.version}
           AND browser_session_id = ${w.draft.browserSessionId}
        RETURNING id
      ), u AS (
        INSERT INTO users (id, user_name, sex, date_of_birth, prefecture_code, municipality_code,
          street_address, telephone, email, user_category, residence_card_number,
          proxy_notification_number, lang)
        SELECT ${w.userId}::text, ${r.userName}::text, ${r.sex}::text, ${r.dateOfBirth}::date,
          ${r.prefectureCode}::text, ${r.municipalityCode}::text, ${r.streetAddress}::text,
          ${r.telephone}::text, ${r.email}::text, ${r.userCategory}::text,
          ${r.residenceCardNumber}::text, ${r.proxyNotificationNumber}::text, ${w.lang}::text
          FROM d
        RETURNING id
      ), c AS (
        INSERT INTO user_cards (auth_cert_fingerprint, card_identity, user_id, auth_cert_serial,
          registration_draft_id)
        SELECT ${w.card.fingerprint}::text, ${w.card.identity}::text, u.id, ${w.card.serial}::text, d.id
          FROM u, d
      ), l AS (
        INSERT INTO account_links (user_id, purpose, token_hash, created_at, expires_at)
        SELECT u.id, 'password', ${w.link.tokenHash}::text, ${w.link.createdAt}::timestamptz,
          ${w.link.expiresAt}::timestamptz
          FROM u
      ), m AS (
        INSERT INTO outbox (next_attempt_at, template, to_address, lang, payload, secret_ciphertext)
        SELECT ${m.next_attempt_at}::timestamptz, ${m.template}::text, ${m.to_address}::text,
          ${m.lang}::text, ${m.payload}::jsonb, ${m.secret_ciphertext}::text
          FROM u
      ), a AS (
        INSERT INTO audit_events (event, user_id, request_id, ip, detail)
        SELECT ${a.event}::text, u.id, ${a.requestId ?? null}::text, ${a.ip ?? null}::text,
          ${JSON.stringify(a.detail ?? {})}::jsonb
          FROM u
      )
      SELECT (SELECT count(*) FROM d)::int AS drafts`.execute(db);
    return result.rows[0]?.drafts === 1 ? 'inserted' : 'draft_changed';
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'users_pkey') return 'id_taken';
    if (e.code === '23505' && e.constraint?.startsWith('user_cards')) return 'card_taken';
    throw err;
  }
}
