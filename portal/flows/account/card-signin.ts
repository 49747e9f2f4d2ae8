// Sign-in and User ID recovery with the Individual Number card: the card step (portal/flows/
// card-step.ts) leaves a verified authentication certificate in the session; it is matched to the
// user it was registered with.
import { findAccountUser } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import { findUserIdByCard } from '../../store/user-cards.ts';
import type { AccountDeps } from './deps.ts';
import type { RequestInfo } from './password.ts';

/** What the card step leaves in the session (the contract of portal/flows/card-step.ts). */
export interface VerifiedCard {
  purpose: string;
  cardSessionId: string;
  /** SHA-256 of the auth certificate's tbsCertificate (decision 0601). */
  cardIdentity: string;
  authCertFingerprint: string;
  authCertSerial: string;
  verifiedAt: string;
}

/** A verified card result is used at once: older than this, the user reads the card again. */
export const CARD_RESULT_MAX_AGE_MS = 2 * 60_000;

export type CardResult = { ok: true; userId: string } | { ok: false; reason: 'stale' | 'notRegistered' };

export async function userForCard(
  deps: AccountDeps,
  card: VerifiedCard | undefined,
  purpose: 'signin' | 'recover-user-id',
  req: RequestInfo,
): Promise<CardResult> {
  const now = deps.now().getTime();
  const at = card ? Date.parse(card.verifiedAt) : Number.NaN;
  if (!card || card.purpose !== purpose || !(now - at <= CARD_RESULT_MAX_AGE_MS && now >= at - 5_000)) {
    return { ok: false, reason: 'stale' };
  }
  const userId = await findUserIdByCard(deps.db, card, { currentOnly: true });
  const user = userId ? await findAccountUser(deps.db, userId) : undefined;
  await writeAudit(deps.db, {
    event: purpose === 'signin' ? (user ? 'signin.card' : 'signin.card.unknown') : 'user_id.recovered',
    userId: user?.id ?? null,
    requestId: req.requestId,
    ip: req.ip,
    detail: { found: !!user },
  });
  return user ? { ok: true, userId: user.id } : { ok: false, reason: 'notRegistered' };
}
