// Passkeys and their challenges (migration 0801, docs/decisions/1101-passkeys-second-way-to-sign-in.md).
import { camel, type Row, type Selected } from './rows.ts';
import type { Queryable } from './schema.ts';
import type { PasskeysTable } from './tables/generated.ts';

const COLUMNS = [
  'credential_id',
  'user_id',
  'public_key',
  'sign_count',
  'transports',
  'backed_up',
  'name',
  'created_at',
  'last_used_at',
] as const;

type Column = (typeof COLUMNS)[number];

/**
 * A stored passkey: the columns above in camelCase; the sign count as a number (bigint: pg reads
 * a string, PGlite a number) and the transports as a list (stored comma-separated). The public key
 * is the COSE key, base64url.
 */
export type Passkey = Omit<Row<PasskeysTable, Column>, 'signCount' | 'transports'> & {
  signCount: number;
  transports: string[];
};

function toPasskey(r: Selected<PasskeysTable, Column>): Passkey {
  return {
    ...camel(r),
    signCount: Number(r.sign_count),
    transports: r.transports ? r.transports.split(',') : [],
  };
}

/** The user's passkeys, oldest first. */
export async function listPasskeys(db: Queryable, userId: string): Promise<Passkey[]> {
  const rows = await db
    .selectFrom('passkeys')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .orderBy('credential_id', 'asc')
    .execute();
  return rows.map(toPasskey);
}

export async function findPasskey(db: Queryable, credentialId: string): Promise<Passkey | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .select(COLUMNS)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

/** False when the credential id is stored already (for this user or another): nothing is changed. */
export async function insertPasskey(db: Queryable, p: Omit<Passkey, 'lastUsedAt'>): Promise<boolean> {
  const inserted = await db
    .insertInto('passkeys')
    .values({
      credential_id: p.credentialId,
      user_id: p.userId,
      public_key: p.publicKey,
      sign_count: p.signCount,
      transports: p.transports.join(','),
      backed_up: p.backedUp,
      name: p.name,
      created_at: p.createdAt,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('credential_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Records a use: the new sign count, only if the stored one is still `expectedCount` (two
 * simultaneous uses of one assertion cannot both pass). False when it had changed meanwhile.
 */
export async function recordPasskeyUse(
  db: Queryable,
  u: { credentialId: string; expectedCount: number; signCount: number; backedUp: boolean; at: Date },
): Promise<boolean> {
  const rows = await db
    .updateTable('passkeys')
    .set({ sign_count: u.signCount, backed_up: u.backedUp, last_used_at: u.at })
    .where('credential_id', '=', u.credentialId)
    .where('sign_count', '=', u.expectedCount)
    .returning('credential_id')
    .execute();
  return rows.length === 1;
}

export async function renamePasskey(
  db: Queryable,
  userId: string,
  credentialId: string,
  name: string,
): Promise<boolean> {
  const rows = await db
    .updateTable('passkeys')
    .set({ name })
    .where('credential_id', '=', credentialId)
    .where('user_id', '=', userId)
    .returning('credential_id')
    .execute();
  return rows.length === 1;
}

/** The removed passkey's name, or undefined when the user has no such passkey. */
export async function deletePasskey(
  db: Queryable,
  userId: string,
  credentialId: string,
): Promise<string | undefined> {
  const row = await db
    .deleteFrom('passkeys')
    .where('credential_id', '=', credentialId)
    .where('user_id', '=', userId)
    .returning('name')
    .executeTakeFirst();
  return row?.name;
}

export async function saveChallenge(
  db: Queryable,
  c: {
    challenge: string;
    sessionId: string;
    purpose: 'register' | 'signin';
    userId: string | null;
    expiresAt: Date;
  },
  now: Date,
): Promise<void> {
  // Challenges nobody answered are removed by the next one asked for.
  await db.deleteFrom('passkey_challenges').where('expires_at', '<', now).execute();
  await db
    .insertInto('passkey_challenges')
    .values({
      challenge: c.challenge,
      session_id: c.sessionId,
      purpose: c.purpose,
      user_id: c.userId,
      expires_at: c.expiresAt,
    })
    .execute();
}

/**
 * Takes a challenge out: found only for the session and purpose it was given for, and deleted
 * in the same statement, so it is used at most once. The caller checks the expiry.
 */
export async function takeChallenge(
  db: Queryable,
  c: { challenge: string; sessionId: string; purpose: 'register' | 'signin' },
): Promise<{ userId: string | null; expiresAt: Date } | undefined> {
  const row = await db
    .deleteFrom('passkey_challenges')
    .where('challenge', '=', c.challenge)
    .where('session_id', '=', c.sessionId)
    .where('purpose', '=', c.purpose)
    .returning(['user_id', 'expires_at'])
    .executeTakeFirst();
  return row ? { userId: row.user_id, expiresAt: new Date(row.expires_at) } : undefined;
}
