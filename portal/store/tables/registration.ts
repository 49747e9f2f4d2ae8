// Tables of the registration flow (card sessions, drafts, municipalities, user cards).
// Owned by the registration area; migrations 01xx.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object> = JSONColumnType<T, string, string>;

export interface CardSessionsTable {
  id: string;
  nonce_hash: string;
  browser_session_id: string;
  purpose: 'registration' | 'signin' | 'recover-user-id' | 'renew-card';
  origin: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  outcome: 'verified' | 'failed' | null;
  error_code: string | null;
  result: Json<Record<string, unknown>> | null;
  continued_at: Timestamp | null;
  /** SHA-256 of the result handed to the browser (migration 0303). */
  result_digest: string | null;
  /** When its result was used (a draft, a sign-in, a User ID shown): once only (migration 0303). */
  redeemed_at: Timestamp | null;
}

export interface RegistrationDraftsTable {
  id: string;
  browser_session_id: string;
  card_session_id: string;
  auth_cert_fingerprint: string;
  auth_cert_serial: string;
  /** 0301: SHA-256 of the auth certificate's tbsCertificate; null in drafts from before 0301. */
  card_identity: string | null;
  state: Generated<'entering' | 'confirming'>;
  data: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  expires_at: Timestamp;
}

export interface UserCardsTable {
  /** SHA-256 of the certificate DER as posted at registration (the key before 0301). */
  auth_cert_fingerprint: string;
  /** 0301: SHA-256 of the auth certificate's tbsCertificate, the card's identity; null until a
   * card registered before 0301 is used again. */
  card_identity: string | null;
  user_id: string;
  auth_cert_serial: string;
  registration_draft_id: string | null;
  created_at: Generated<Date>;
  /** 0701: when a renewed card replaced this one (null: the account's current card). */
  replaced_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PrefecturesTable {
  code: string;
  name_ja: string;
  name_kana: string;
  name_en: string;
}

export interface MunicipalitiesTable {
  code: string;
  prefecture_code: string;
  name_ja: string;
  name_kana: string;
  name_en: string;
  kind: string;
  selectable: boolean;
  parent_code: string | null;
  county_ja: string | null;
  county_en: string | null;
  sort_order: number;
}

export interface ReferenceDataTable {
  name: string;
  sha256: string;
  loaded_at: Generated<Date>;
}

export type RegistrationTables = {
  card_sessions: CardSessionsTable;
  registration_drafts: RegistrationDraftsTable;
  user_cards: UserCardsTable;
  prefectures: PrefecturesTable;
  municipalities: MunicipalitiesTable;
  reference_data: ReferenceDataTable;
};
