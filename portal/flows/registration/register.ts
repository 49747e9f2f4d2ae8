// STEP2 "Registration": one transaction creates the user with a new User ID, links the card,
// queues the completion email and writes the audit event, and deletes the draft. The draft
// row is locked first, so a second click waits and then finds the user the first one made.

import type { MunicipalityList } from '../../domain/address.ts';
import { newUserId } from '../../domain/user-id.ts';
import { deleteDraft } from '../../store/drafts.ts';
import { findUserByRegistrationDraft, insertUserWithCard } from '../../store/user-cards.ts';
import type { PortalDeps } from '../deps.ts';
import { queueCompletionEmail } from './completion-email.ts';
import { isExpired, loadDraft } from './draft.ts';
import { confirmedEntries } from './steps.ts';

export type RegisterOutcome =
  | {
      kind: 'registered';
      userId: string;
      email: string /** false: a second click found the first one's user */;
      created: boolean;
    }
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
        return done
          ? { kind: 'registered', userId: done.id, email: done.email, created: false }
          : { kind: 'gone' };
      }
      if (draft.browserSessionId !== browserSessionId) return { kind: 'gone' };
      if (isExpired(draft, now)) {
        await deleteDraft(tx, draft.id);
        return { kind: 'expired' };
      }
      const r = confirmedEntries(draft, municipalities, now);
      if (!r) return { kind: 'not_confirmed' };
      // The user and the card's link in one statement; a User ID collision draws another.
      const card = {
        identity: draft.cardIdentity,
        fingerprint: draft.authCertFingerprint,
        serial: draft.authCertSerial,
        draftId: draft.id,
      };
      let userId = newUserId();
      for (;;) {
        const outcome = await insertUserWithCard(tx, userId, r, lang, card);
        if (outcome === 'inserted') break;
        if (outcome === 'card_taken') throw new CardTaken();
        userId = newUserId();
      }
      await queueCompletionEmail(tx, deps, { id: userId, email: r.email, userName: r.userName, lang });
      // The audit event rides on the draft's deletion: one statement.
      await deleteDraft(tx, draft.id, { event: 'user.registered', userId, requestId });
      return { kind: 'registered', userId, email: r.email, created: true };
    });
  } catch (err) {
    if (err instanceof CardTaken) return { kind: 'already_registered' };
    throw err;
  }
}
