// STEP2 "Registration": one statement creates the user with a new User ID, links the card,
// queues the completion email, writes the audit event and deletes the draft. The deletion comes
// first, so a second click finds no draft and then the user the first one made.

import type { MunicipalityList } from '../../domain/address.ts';
import { newUserId } from '../../domain/user-id.ts';
import { deleteDraft } from '../../store/drafts.ts';
import { insertRegistration } from '../../store/registration.ts';
import { findUserByRegistrationDraft } from '../../store/user-cards.ts';
import type { PortalDeps } from '../deps.ts';
import { completionEmail } from './completion-email.ts';
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

/**
 * STEP2's Registration: the draft as last saved is checked once more, then one statement deletes
 * it and writes the user with a new User ID, its card link, the password link, the completion
 * email and the audit event (store/registration.ts): one round trip, all or nothing. A second
 * click finds the draft gone and the first click's user; a User ID collision draws another.
 */
export async function register(
  deps: PortalDeps,
  municipalities: MunicipalityList,
  draftId: string,
  browserSessionId: string,
  lang: 'ja' | 'en' | 'ja-easy',
  requestId: string,
): Promise<RegisterOutcome> {
  const now = deps.now();
  // A draft saved again between the read and the write (another tab) is read again: a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const draft = await loadDraft(deps.db, draftId);
    if (!draft) {
      const done = await findUserByRegistrationDraft(deps.db, draftId);
      return done
        ? { kind: 'registered', userId: done.id, email: done.email, created: false }
        : { kind: 'gone' };
    }
    if (draft.browserSessionId !== browserSessionId) return { kind: 'gone' };
    if (isExpired(draft, now)) {
      await deleteDraft(deps.db, draft.id);
      return { kind: 'expired' };
    }
    const r = confirmedEntries(draft, municipalities, now);
    if (!r) return { kind: 'not_confirmed' };
    for (;;) {
      const userId = newUserId();
      const { link, message } = completionEmail(deps, {
        id: userId,
        email: r.email,
        userName: r.userName,
        lang,
      });
      const outcome = await insertRegistration(deps.db, {
        draft: { id: draft.id, version: draft.version, browserSessionId },
        userId,
        entries: r,
        lang,
        card: {
          identity: draft.cardIdentity,
          fingerprint: draft.authCertFingerprint,
          serial: draft.authCertSerial,
        },
        link,
        message,
        audit: { event: 'user.registered', userId, requestId },
      });
      if (outcome === 'inserted') return { kind: 'registered', userId, email: r.email, created: true };
      if (outcome === 'card_taken') return { kind: 'already_registered' };
      if (outcome === 'draft_changed') break;
      // 'id_taken': draw another User ID.
    }
  }
  return { kind: 'gone' };
}
