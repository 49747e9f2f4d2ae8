import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SessionsTable {
  id: string;
  csrf_token: string;
  user_id: string | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  at: Generated<Date>;
  event: string;
  user_id: string | null;
  request_id: string | null;
  ip: string | null;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
}

export interface UsersTable {
  id: string;
  user_name: string;
  sex: 'male' | 'female';
  date_of_birth: ColumnType<string, string, string>;
  prefecture_code: string;
  municipality_code: string;
  street_address: string;
  telephone: string;
  email: string;
  user_category: string;
  residence_card_number: string | null;
  proxy_notification_number: string | null;
  lang: 'ja' | 'en' | 'ja-easy';
  password_hash: string | null;
  password_set_at: Date | null;
  password_expires_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OutboxTable {
  id: Generated<string>;
  template: string;
  to_address: string;
  lang: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  secret_ciphertext: string | null;
  state: Generated<'queued' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface FoundationTables {
  outbox: OutboxTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  users: UsersTable;
}
