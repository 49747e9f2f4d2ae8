// The STEP1 form object: reads the posted fields (named by step1-fields.ts) into RegistrationInput (as typed, so the
// page can show them again) and checks them with the domain rules. Routes only call this.
import type { Basic4Prefill } from '../../../card/basic4.ts';
import type { MunicipalityList } from '../../domain/address.ts';
import { cutText, markForbiddenCharacters } from '../../domain/normalize.ts';
import { todayInJapan } from '../../domain/person.ts';
import {
  type RegistrationInput,
  type RegistrationResult,
  validateRegistration,
} from '../../domain/registration.ts';
import { applyPrefill } from './draft.ts';
import { STEP1_TEXT_INPUTS } from './step1-fields.ts';

/** Longer than any field may be (so the rule still says "too long"), short enough to keep in the draft. */
const MAX_FIELD = 500;

/**
 * A posted field as kept in the draft and shown again: cut at a character boundary, and each
 * character no field accepts replaced by U+FFFD, so the draft can always be stored and the rule
 * for the field refuses it with its own message while the other entries stay.
 */
const str = (v: unknown): string =>
  typeof v === 'string' ? markForbiddenCharacters(cutText(v, MAX_FIELD)) : '';

export function readStep1Form(body: Record<string, unknown>, prefill: Basic4Prefill): RegistrationInput {
  const input = { termsAgreed: body.termsAgreed === 'yes' } as RegistrationInput;
  for (const f of STEP1_TEXT_INPUTS) input[f] = str(body[f]);
  return applyPrefill(input, prefill);
}

export function checkStep1(
  input: RegistrationInput,
  municipalities: MunicipalityList,
  now: Date,
): RegistrationResult {
  return validateRegistration(input, { today: todayInJapan(now), municipalities });
}
