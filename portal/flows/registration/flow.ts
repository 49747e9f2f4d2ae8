// Where a browser stands in the registration flow. A browser that has not passed the card
// step has no draft and reaches none of STEP1–STEP3.
import type { Notice } from '../../i18n/codes.ts';
import { findUserIdByCard } from '../../store/user-cards.ts';
import { redeemCardResult } from '../card-step.ts';
import type { PortalDeps } from '../deps.ts';
import type { SessionState } from '../session-data.ts';
import { createDraft, type Draft, deleteDraft, isExpired, keepDraftAlive, loadDraft } from './draft.ts';

export type DraftLookup = { ok: true; draft: Draft } | { ok: false; notice: Notice };

const registrationNotice = (
  code: 'card_already_registered' | 'draft_expired' | 'card_step_required',
): Notice => ({
  kind: 'error',
  area: 'registration',
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
  const redeemed = await redeemCardResult(deps, session, 'registration');
  if (redeemed) {
    const previous = session.get('registrationDraftId');
    session.set('registrationDraftId', undefined);
    if (previous) await deleteDraft(deps.db, previous);
    if (!redeemed.ok) {
      const code = redeemed.reason === 'expired' ? 'request_expired' : 'request_used';
      return { ok: false, notice: { kind: 'error', area: 'cardStep', purpose: 'registration', code } };
    }
    const card = redeemed.card;
    if (await findUserIdByCard(deps.db, card)) {
      return { ok: false, notice: registrationNotice('card_already_registered') };
    }
    const draft = await createDraft(deps.db, card, session.id, now, idle);
    session.set('registrationDraftId', draft.id);
    return { ok: true, draft };
  }
  const id = session.get('registrationDraftId');
  if (id) {
    const draft = await loadDraft(deps.db, id);
    if (draft && draft.browserSessionId === session.id && !isExpired(draft, now)) {
      if (touch) await keepDraftAlive(deps.db, draft, now, idle);
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
