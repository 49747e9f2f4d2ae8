// Card renewal (docs/decisions/0702-card-renewal.md, migration 0701): a renewed Individual Number
// card carries new certificates, so a new card identity. user_cards keeps every card an account
// was linked to; the current one has replaced_at NULL.
import type { QueryCreator } from 'kysely';
import type { Database, Queryable } from './schema.ts';
import type { CardKey } from './user-cards.ts';

/** Who holds this card already, if anyone: the account, and whether it is that account's current card. */
export async function cardHolder(
  db: Queryable,
  card: CardKey,
): Promise<{ userId: string; current: boolean } | undefined> {
  const row = await db
    .selectFrom('user_cards')
    .select(['user_id', 'replaced_at'])
    .where((eb) =>
      eb.or([
        eb('card_identity', '=', card.cardIdentity),
        eb('auth_cert_fingerprint', '=', card.authCertFingerprint),
      ]),
    )
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? { userId: row.user_id, current: row.replaced_at === null } : undefined;
}

/**
 * Links the new card to the user and marks the card(s) it replaces, in the caller's transaction.
 * False when the new card is already linked anywhere: the unique keys decide (as in linkUserCard),
 * and nothing is changed then.
 */
export async function replaceUserCard(
  db: Queryable,
  c: { userId: string; card: CardKey & { authCertSerial: string }; at: Date },
): Promise<{ replacedSerials: string[] } | undefined> {
  const inserted = await db
    .insertInto('user_cards')
    .values({
      auth_cert_fingerprint: c.card.authCertFingerprint,
      card_identity: c.card.cardIdentity,
      user_id: c.userId,
      auth_cert_serial: c.card.authCertSerial,
      registration_draft_id: null,
      created_at: c.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  const replaced = await db
    .updateTable('user_cards')
    .set({ replaced_at: c.at })
    .where('user_id', '=', c.userId)
    .where('replaced_at', 'is', null)
    .where('auth_cert_fingerprint', '!=', c.card.authCertFingerprint)
    .returning('auth_cert_serial')
    .execute();
  return { replacedSerials: replaced.map((r) => r.auth_cert_serial) };
}

export interface CardHistoryEntry {
  serial: string;
  linkedAt: Date;
  replacedAt: Date | null;
}

/** The account's cards, newest first (the first is the current one unless none is linked). */
export async function cardHistory(db: Queryable, userId: string): Promise<CardHistoryEntry[]> {
  const rows = await db
    .selectFrom('user_cards')
    .select(['auth_cert_serial', 'created_at', 'replaced_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ serial: r.auth_cert_serial, linkedAt: r.created_at, replacedAt: r.replaced_at }));
}

/**
 * Whether an account with this name, sex and date of birth exists (the basic four information a
 * signature certificate fills STEP1 with). Uses the index of migration 0701.
 */
export async function accountWithBasic4Exists(db: Queryable, p: Basic4Key): Promise<boolean> {
  const row = await accountsWithBasic4(db, p).limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface Basic4Key {
  userName: string;
  sex: 'male' | 'female';
  dateOfBirth: string;
}

/** Users with this name, sex and date of birth: alone above, or inside a larger statement. */
export const accountsWithBasic4 = (db: QueryCreator<Database>, p: Basic4Key) =>
  db
    .selectFrom('users')
    .select('id')
    .where('date_of_birth', '=', p.dateOfBirth)
    .where('sex', '=', p.sex)
    .where('user_name', '=', p.userName);
