// STEP2 "Registration": one transaction creates the user with a new User ID, links the card,
// queues the completion email and writes the audit event, and deletes the draft. The draft
// row is locked first, so a second click waits and then finds the user the first one made.

import type { MunicipalityList } from '../../domain/address.ts';
import { todayInJapan } from '../../domain/person.ts';
import { validateRegistration } from '../../domain/registration.ts';
import { newUserId } from '../../domain/user-id.ts';
import { queueCompletionEmail } from '../../mail/completion-email.ts';
import { writeAudit } from '../../store/audit.ts';
import { deleteDraft } from '../../store/drafts.ts';
import { findUserByRegistrationDraft, linkUserCard } from '../../store/user-cards.ts';
import { insertUser } from '../../store/users.ts';
import type { PortalDeps } from '../../web/deps.ts';
import { isExpired, loadDraft } from './draft.ts';

export type RegisterOutcome =
  | { kind: 'registered'; userId: string; email: string }
  | { kind: 'already_registered' }
  | { kind: 'not_confirmed' }
  | { kind: 'expired' }
  | { kind: 'gone' };

class CardTaken extends Error {}

export async function register(
  deps: PortalDeps,
  municipalities: MunicipalityList,
  draftId: string,
  browserSessionId: string,
  lang: 'ja' | 'en' | 'ja-easy',
  requestId: string,
): Promise<RegisterOutcome> {
  const now = deps.now();
  try {
    return await deps.db.transaction().execute(async (tx): Promise<RegisterOutcome> => {
      const draft = await loadDraft(tx, draftId, true);
      if (!draft) {
        const done = await findUserByRegistrationDraft(tx, draftId);
        return done ? { kind: 'registered', userId: done.id, email: done.email } : { kind: 'gone' };
      }
      if (draft.browserSessionId !== browserSessionId) return { kind: 'gone' };
      if (isExpired(draft, now)) {
        await deleteDraft(tx, draft.id);
        return { kind: 'expired' };
      }
      const checked =
        draft.state === 'confirming'
          ? validateRegistration(draft.data.input, { today: todayInJapan(now), municipalities })
          : undefined;
      if (!checked?.ok) return { kind: 'not_confirmed' };
      const r = checked.value;
      let userId = newUserId();
      while (!(await insertUser(tx, userId, r, lang))) userId = newUserId();
      const linked = await linkUserCard(tx, {
        identity: draft.cardIdentity,
        fingerprint: draft.authCertFingerprint,
        userId,
        serial: draft.authCertSerial,
        draftId: draft.id,
      });
      if (!linked) throw new CardTaken();
      await queueCompletionEmail(tx, deps, { id: userId, email: r.email, userName: r.userName, lang });
      await writeAudit(tx, { event: 'user.registered', userId, requestId });
      await deleteDraft(tx, draft.id);
      return { kind: 'registered', userId, email: r.email };
    });
  } catch (err) {
    if (err instanceof CardTaken) return { kind: 'already_registered' };
    throw err;
  }
}
