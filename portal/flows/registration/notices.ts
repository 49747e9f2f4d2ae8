// Notice codes of the registration area: every card-step failure plus the flow's own.
import type { CardStepErrorCode } from '../../identity/errors.ts';

export type RegistrationNoticeCode =
  | CardStepErrorCode
  | 'card_already_registered'
  | 'draft_expired'
  | 'card_step_required';
