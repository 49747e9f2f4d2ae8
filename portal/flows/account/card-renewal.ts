import { findAccountUser } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import { cardHolder, replaceUserCard } from '../../store/card-renewal.ts';
import type { Queryable } from '../../store/schema.ts';
import { CARD_RESULT_MAX_AGE_MS, type VerifiedCard } from './card-signin.ts';
import type { AccountDeps } from './deps.ts';
import { queueAccountNotice } from './notices.ts';
import type { RequestInfo } from './password.ts';

/**
 * Why a new card was not linked: the result was too old or missing ('stale'), the card is already
 * this account's card ('same'), it was this account's card before and was replaced ('replaced'),
 * or it belongs to another account ('otherAccount').
 */
export type RenewalRefusal = 'stale' | 'same' | 'replaced' | 'otherAccount';

export type RenewalResult = { ok: true } | { ok: false; reason: RenewalRefusal };

class Refused extends Error {
  constructor(readonly reason: RenewalRefusal) {
    super(reason);
  }
}

export async function renewCard(
  deps: AccountDeps,
  userId: string,
  card: VerifiedCard | undefined,
  req: RequestInfo,
): Promise<RenewalResult> {
  const now = deps.now();
  const at = card ? Date.parse(card.verifiedAt) : Number.NaN;
  if (
    card?.purpose !== 'renew-card' ||
    !(now.getTime() - at <= CARD_RESULT_MAX_AGE_MS && now.getTime() >= at - 5_000)
  ) {
    return { ok: false, reason: 'stale' };
  }
  const audit = (db: Queryable, event: string, detail: Record<string, unknown>) =>
    writeAudit(db, { event, userId, requestId: req.requestId, ip: req.ip, detail });
  try {
    return await deps.db.transaction().execute(async (tx): Promise<RenewalResult> => {
      // The user's row is locked, so two renewals of one account run one after the other.
      const user = await findAccountUser(tx, userId, { forUpdate: true });
      if (!user) throw new Refused('stale');
      const holder = await cardHolder(tx, card);
      if (holder) {
        throw new Refused(holder.userId !== userId ? 'otherAccount' : holder.current ? 'same' : 'replaced');
      }
      const replaced = await replaceUserCard(tx, { userId, card, at: now });
      // Linked elsewhere between the look-up and the insert (the unique keys decided).
      if (!replaced) throw new Refused('otherAccount');
      await queueAccountNotice(tx, user, 'card-renewed', now, {});
      await audit(tx, 'card.renewed', {
        serial: card.authCertSerial,
        replacedSerials: replaced.replacedSerials,
      });
      return { ok: true };
    });
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    if (err.reason !== 'stale') {
      await audit(deps.db, 'card.renewal.refused', { reason: err.reason, serial: card.authCertSerial });
    }
    return { ok: false, reason: err.reason };
  }
}
