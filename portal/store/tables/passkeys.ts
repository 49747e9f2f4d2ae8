// Tables of passkeys (migration 0801, docs/decisions/1101-passkeys-second-way-to-sign-in.md).
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PasskeysTable {
  credential_id: string;
  user_id: string;
  public_key: string;
  /** bigint: node-postgres returns it as a string, PGlite as a number. */
  sign_count: ColumnType<string | number, number, number>;
  transports: ColumnType<string, string | undefined, string>;
  backed_up: ColumnType<boolean, boolean | undefined, boolean>;
  name: string;
  created_at: Timestamp;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PasskeyChallengesTable {
  challenge: string;
  session_id: string;
  purpose: 'register' | 'signin';
  user_id: string | null;
  expires_at: ColumnType<Date, Date, Date>;
}

export type PasskeyTables = {
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
};
