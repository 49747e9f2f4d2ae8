// Cards linked to users: the authentication certificate's SHA-256 fingerprint → user.
// The accounts area signs users in with the card through findUserIdByAuthCertFingerprint.
import type { Queryable } from './schema.ts';

export async function findUserIdByAuthCertFingerprint(
  db: Queryable,
  fingerprint: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('user_cards')
    .select('user_id')
    .where('auth_cert_fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return row?.user_id;
}

/** Links the card; false when this card is already linked (the UNIQUE key decides, not a prior read). */
export async function linkUserCard(
  db: Queryable,
  c: { fingerprint: string; userId: string; serial: string; draftId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('user_cards')
    .values({
      auth_cert_fingerprint: c.fingerprint,
      user_id: c.userId,
      auth_cert_serial: c.serial,
      registration_draft_id: c.draftId,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The user a draft already became (a second click on Registration finds it here). */
export async function findUserByRegistrationDraft(
  db: Queryable,
  draftId: string,
): Promise<{ id: string; email: string } | undefined> {
  return db
    .selectFrom('user_cards')
    .innerJoin('users', 'users.id', 'user_cards.user_id')
    .select(['users.id', 'users.email'])
    .where('user_cards.registration_draft_id', '=', draftId)
    .executeTakeFirst();
}
