// Cards linked to users. A card is identified by the SHA-256 of its authentication certificate's
// tbsCertificate (card_identity, docs/decisions/0601-card-identity.md); rows linked before
// migration 0301 have only the certificate fingerprint until the card is used again.
// The accounts area signs users in with the card through findUserIdByCard.
import type { ExpressionBuilder, QueryCreator } from 'kysely';
import type { Database, Queryable } from './schema.ts';

/** What the card step verified: the card's identity, and the fingerprint rows before 0301 carry. */
export interface CardKey {
  cardIdentity: string;
  authCertFingerprint: string;
}

/** The user_cards rows of this card: by what the CA signed, or a row from before 0301 by fingerprint. */
export const isCard = (card: CardKey) => (eb: ExpressionBuilder<Database, 'user_cards'>) =>
  eb.or([
    eb('card_identity', '=', card.cardIdentity),
    eb.and([eb('card_identity', 'is', null), eb('auth_cert_fingerprint', '=', card.authCertFingerprint)]),
  ]);

/**
 * The user this card is linked to. A row from before migration 0301 (no card_identity) is found
 * by the fingerprint of the certificate, and its card_identity is filled in on the way, so from
 * then on the card is found by what the CA signed. `currentOnly`: a card a renewed card replaced
 * (migration 0701, decision 0702) is not found — sign-in and User ID recovery use the current card;
 * registration still finds it, since a replaced card stays taken.
 */
export async function findUserIdByCard(
  db: Queryable,
  card: CardKey,
  options: { currentOnly?: boolean } = {},
): Promise<string | undefined> {
  const found = await db
    .selectFrom('user_cards')
    .select(['user_id', 'card_identity', 'replaced_at'])
    .where(isCard(card))
    .execute();
  const rows = options.currentOnly ? found.filter((r) => r.replaced_at === null) : found;
  const current = rows.find((r) => r.card_identity !== null);
  if (current) return current.user_id;
  const legacy = rows[0];
  if (!legacy) return undefined;
  await fillCardIdentity(db, card).execute();
  return legacy.user_id;
}

/**
 * Links the card; false when this card is already linked (the UNIQUE keys decide, not a prior
 * read: card_identity, and the fingerprint for rows from before 0301). `identity` is null only
 * for a draft started before migration 0301.
 */
export async function linkUserCard(
  db: Queryable,
  c: { identity: string | null; fingerprint: string; userId: string; serial: string; draftId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('user_cards')
    .values({
      auth_cert_fingerprint: c.fingerprint,
      card_identity: c.identity,
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

/**
 * A row from before 0301 found by its fingerprint gets the card's identity: from then on the card
 * is found by what the CA signed. Run alone (findUserIdByCard) or inside a larger statement.
 */
export const fillCardIdentity = (db: QueryCreator<Database>, card: CardKey) =>
  db
    .updateTable('user_cards')
    .set({ card_identity: card.cardIdentity })
    .where('auth_cert_fingerprint', '=', card.authCertFingerprint)
    .where('card_identity', 'is', null)
    // Never collide with the unique key, even if a row with this identity appeared meanwhile.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('user_cards as other')
            .select('other.user_id')
            .where('other.card_identity', '=', card.cardIdentity),
        ),
      ),
    );
