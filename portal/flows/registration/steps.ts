// The registration steps as a table (in the spirit of identity-idp's StepInfo): for each step
// what must hold to show it, where it leads and what Back undoes. The draft's state changes only
// here; the routes (portal/web/routes/registration/steps.tsx) call these and answer.
import type { MunicipalityList } from '../../domain/address.ts';
import type { Registration, RegistrationInput } from '../../domain/registration.ts';
import type { Notice } from '../../i18n/codes.ts';
import type { PortalDeps } from '../deps.ts';
import type { Completed, SessionState } from '../session-data.ts';
import { type Draft, saveDraft } from './draft.ts';
import { noDraft } from './flow.ts';
import { register } from './register.ts';
import { checkStep1, readStep1Form } from './step1-form.ts';

export type StepName = 'card' | 'step1' | 'step2' | 'complete';

export interface StepInfo {
  path: string;
  /** What must hold to show the step (else the browser goes where the check says). */
  precondition: string;
  /** The draft's state while the browser is on this step. */
  state?: Draft['state'];
  next?: StepName;
  /** Back: the step it returns to and what it undoes. */
  back?: { to: StepName; undoes: string };
}

export const STEPS = {
  card: {
    path: '/registration/card',
    precondition: 'none (the top page starts it)',
    next: 'step1',
  },
  step1: {
    path: '/registration/step1',
    precondition:
      'a draft: a card step just redeemed (flows/card-step.ts), or the draft this browser works on',
    state: 'entering',
    next: 'step2',
  },
  step2: {
    path: '/registration/step2',
    precondition: "the draft is 'confirming' and its entries pass every rule today (confirmedEntries)",
    state: 'confirming',
    next: 'complete',
    back: { to: 'step1', undoes: "the confirmation only: state 'confirming' → 'entering', every entry kept" },
  },
  complete: {
    path: '/registration/complete',
    precondition: 'registrationCompleted in the session (the user was created)',
  },
} as const satisfies Record<StepName, StepInfo>;

/**
 * STEP2's precondition, checked in one place for showing STEP2 and for Registration: the entries
 * of a confirmed draft, validated against today's date and the municipality list.
 */
export function confirmedEntries(
  draft: Draft,
  municipalities: MunicipalityList,
  now: Date,
): Registration | undefined {
  if (draft.state !== STEPS.step2.state) return undefined;
  const checked = checkStep1(draft.data.input, municipalities, now);
  return checked.ok ? checked.value : undefined;
}

export type Step1Outcome =
  | { kind: 'kept'; input: RegistrationInput }
  | { kind: 'search'; prefectureCode: string }
  | {
      kind: 'invalid';
      input: RegistrationInput;
      errors: Exclude<ReturnType<typeof checkStep1>, { ok: true }>['errors'];
    }
  | { kind: 'confirmed' };

/**
 * STEP1 posted: the entries are kept in the draft whatever happens next. `keep` (a language
 * switch) and `search` (the municipality search) only keep them; `confirm` checks them and, when
 * every rule passes, the draft moves on to STEP2.
 */
export async function submitStep1(
  deps: PortalDeps,
  municipalities: MunicipalityList,
  draft: Draft,
  body: Record<string, unknown>,
  action: 'keep' | 'search' | 'confirm',
): Promise<Step1Outcome> {
  const input = readStep1Form(body, draft.data.prefill);
  draft.data.input = input;
  draft.state = STEPS.step1.state;
  let outcome: Step1Outcome;
  if (action === 'keep') outcome = { kind: 'kept', input };
  else if (action === 'search') outcome = { kind: 'search', prefectureCode: input.prefectureCode };
  else {
    const result = checkStep1(input, municipalities, deps.now());
    if (result.ok) draft.state = STEPS.step2.state;
    outcome = result.ok ? { kind: 'confirmed' } : { kind: 'invalid', input, errors: result.errors };
  }
  await saveDraft(deps.db, draft, deps.now(), deps.config.draftIdleMinutes);
  return outcome;
}

/** The municipality chosen on the search page goes into STEP1's entries (and STEP2 must be confirmed again). */
export async function chooseMunicipality(
  deps: PortalDeps,
  draft: Draft,
  municipality: { code: string; prefectureCode: string } | undefined,
): Promise<void> {
  if (!municipality) return;
  draft.data.input.prefectureCode = municipality.prefectureCode;
  draft.data.input.municipalityCode = municipality.code;
  draft.state = STEPS.step1.state;
  await saveDraft(deps.db, draft, deps.now(), deps.config.draftIdleMinutes);
}

/** Back on STEP2: undoes what STEPS.step2.back says. */
export async function backToStep1(deps: PortalDeps, draft: Draft): Promise<void> {
  draft.state = STEPS.step1.state;
  await saveDraft(deps.db, draft, deps.now(), deps.config.draftIdleMinutes);
}

/** `created`: this click made the account (false when it repeats a finished registration). */
export type Step2Outcome =
  | { kind: 'complete'; created: boolean }
  | { kind: 'step1' }
  | { kind: 'top'; notice: Notice };

/**
 * Registration clicked on STEP2: the user is created (flows/registration/register.ts), the
 * session remembers the result for STEP3, and a second click shows the same completion page.
 */
export async function submitStep2(
  deps: PortalDeps,
  municipalities: MunicipalityList,
  browser: {
    session: SessionState;
    sessionExpired: boolean;
    lang: 'ja' | 'en' | 'ja-easy';
    requestId: string;
  },
): Promise<Step2Outcome> {
  const { session } = browser;
  const draftId = session.get('registrationDraftId');
  if (!draftId) {
    if (session.get('registrationCompleted')) return { kind: 'complete', created: false };
    return { kind: 'top', notice: noDraft(browser.sessionExpired) };
  }
  const outcome = await register(deps, municipalities, draftId, session.id, browser.lang, browser.requestId);
  if (outcome.kind === 'not_confirmed') return { kind: 'step1' };
  session.set('registrationDraftId', undefined);
  if (outcome.kind === 'registered') {
    session.set('registrationCompleted', {
      userId: outcome.userId,
      email: outcome.email,
    } satisfies Completed);
    return { kind: 'complete', created: outcome.created };
  }
  const code = (
    {
      already_registered: 'card_already_registered',
      expired: 'draft_expired',
      gone: 'card_step_required',
    } as const
  )[outcome.kind];
  return { kind: 'top', notice: { kind: 'error', area: 'registration', code } };
}
