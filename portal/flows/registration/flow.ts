// Where a browser stands in the registration flow. A browser that has not passed the card
// step has no draft and reaches none of STEP1–STEP3.

import { findUserIdByCard } from '../../store/user-cards.ts';
import type { Session } from '../../web/session.ts';
import { redeemCardResult } from '../card-step.ts';
import type { PortalDeps } from '../deps.ts';
import { createDraft, type Draft, deleteDraft, isExpired, keepDraftAlive, loadDraft } from './draft.ts';
import type { RegistrationNoticeCode } from './notices.ts';

/** Session keys of the registration area. */
export const DRAFT_KEY = 'registrationDraftId';
export const COMPLETED_KEY = 'registrationCompleted';

export interface Completed {
  userId: string;
  email: string;
}

export type DraftLookup = { ok: true; draft: Draft } | { ok: false; notice: RegistrationNoticeCode };

/**
 * The browser's draft: a new one right after a card step, else the one it is working on.
 * `touch` keeps it alive (a page view counts as activity).
 */
export async function currentDraft(
  deps: PortalDeps,
  session: Session,
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
    const previous = session.get<string>(DRAFT_KEY);
    session.set(DRAFT_KEY, undefined);
    if (previous) await deleteDraft(deps.db, previous);
    if (!redeemed.ok)
      return { ok: false, notice: redeemed.reason === 'expired' ? 'request_expired' : 'request_used' };
    const card = redeemed.card;
    if (await findUserIdByCard(deps.db, card)) {
      return { ok: false, notice: 'card_already_registered' };
    }
    const draft = await createDraft(deps.db, card, session.id, now, idle);
    session.set(DRAFT_KEY, draft.id);
    return { ok: true, draft };
  }
  const id = session.get<string>(DRAFT_KEY);
  if (id) {
    const draft = await loadDraft(deps.db, id);
    if (draft && draft.browserSessionId === session.id && !isExpired(draft, now)) {
      if (touch) await keepDraftAlive(deps.db, draft, now, idle);
      return { ok: true, draft };
    }
    session.set(DRAFT_KEY, undefined);
    if (draft) {
      await deleteDraft(deps.db, draft.id);
      return { ok: false, notice: 'draft_expired' };
    }
    return { ok: false, notice: 'card_step_required' };
  }
  // The session itself timed out (same idle time as a draft): say so rather than "start".
  return { ok: false, notice: sessionExpired ? 'draft_expired' : 'card_step_required' };
}
