// Tables of mail delivery, password setting and sign-in (outbox leases, links, sign-in throttling).
// Owned by the account area; migrations 02xx.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Columns 0201 adds to the foundation's outbox (the intersection merges them into its type). */
export interface OutboxLeaseColumns {
  locked_by: string | null;
  locked_until: Date | null;
}

export interface AccountLinksTable {
  id: Generated<string>;
  user_id: string;
  purpose: 'password' | 'email';
  token_hash: string;
  new_email: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface SigninThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Date | null;
  updated_at: Generated<Date>;
}

export interface PasswordRemindersTable {
  user_id: string;
  days_before: number;
  password_expires_at: Timestamp;
  queued_at: Generated<Date>;
}

export type AccountTables = {
  outbox: OutboxLeaseColumns;
  account_links: AccountLinksTable;
  signin_throttle: SigninThrottleTable;
  password_reminders: PasswordRemindersTable;
};
