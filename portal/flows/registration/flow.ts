// Where a browser stands in the registration flow. A browser that has not passed the card
// step has no draft and reaches none of STEP1–STEP3.
import type { Notice } from '../../i18n/codes.ts';
import { takeCardResult } from '../card-step.ts';
import type { PortalDeps } from '../deps.ts';
import type { SessionState } from '../session-data.ts';
import { type Draft, deleteDraft, isExpired, loadDraft, loadDraftKeepingAlive, startDraft } from './draft.ts';

/**
 * `mayAlreadyBeRegistered`: STEP1's renewal hint, when the lookup started the draft (it was
 * answered by the same statement); otherwise the page asks (renewal-hint.ts).
 */
export type DraftLookup =
  | { ok: true; draft: Draft; mayAlreadyBeRegistered?: boolean }
  | { ok: false; notice: Notice };

const registrationNotice = (
  code: 'card_already_registered' | 'draft_expired' | 'card_step_required',
): Notice => ({
  kind: 'error',
  area: 'registration',
  code,
});

const cardStepNotice = (code: 'request_expired' | 'request_used'): Notice => ({
  kind: 'error',
  area: 'cardStep',
  purpose: 'registration',
  code,
});

/** Where the browser is sent back to the top page when it has no draft (or lost it). */
export const noDraft = (sessionExpired: boolean): Notice =>
  registrationNotice(sessionExpired ? 'draft_expired' : 'card_step_required');

/**
 * The browser's draft: a new one right after a card step, else the one it is working on.
 * `touch` keeps it alive (a page view counts as activity).
 */
export async function currentDraft(
  deps: PortalDeps,
  session: SessionState,
  sessionExpired: boolean,
  touch = true,
): Promise<DraftLookup> {
  const now = deps.now();
  const idle = deps.config.draftIdleMinutes;
  // Right after a card step: its result, checked against the card session it came from. A new
  // card step always starts a draft for the card just read (a family registering two people on
  // one PC), so the draft this browser had before is discarded, whatever the new result.
  const taken = takeCardResult(deps, session, 'registration');
  if (taken) {
    const previous = session.get('registrationDraftId');
    session.set('registrationDraftId', undefined);
    if (!taken.ok) {
      if (previous) await deleteDraft(deps.db, previous);
      return { ok: false, notice: cardStepNotice('request_expired') };
    }
    // Redeemed, the previous draft deleted and the new one stored in one statement.
    const started = await startDraft(deps.db, {
      card: taken.card,
      redemption: taken.redeem,
      previousDraftId: previous,
      browserSessionId: session.id,
      now,
      idleMinutes: idle,
    });
    if (!started.ok) {
      return {
        ok: false,
        notice:
          started.reason === 'used'
            ? cardStepNotice('request_used')
            : registrationNotice('card_already_registered'),
      };
    }
    session.set('registrationDraftId', started.draft.id);
    return { ok: true, draft: started.draft, mayAlreadyBeRegistered: started.mayAlreadyBeRegistered };
  }
  const id = session.get('registrationDraftId');
  if (id) {
    const draft = touch
      ? await loadDraftKeepingAlive(deps.db, id, session.id, now, idle)
      : await loadDraft(deps.db, id);
    if (draft && draft.browserSessionId === session.id && !isExpired(draft, now)) {
      return { ok: true, draft };
    }
    session.set('registrationDraftId', undefined);
    if (draft) {
      await deleteDraft(deps.db, draft.id);
      return { ok: false, notice: registrationNotice('draft_expired') };
    }
    return { ok: false, notice: registrationNotice('card_step_required') };
  }
  // The session itself timed out (same idle time as a draft): say so rather than "start".
  return { ok: false, notice: noDraft(sessionExpired) };
}
