// The STEP1 form object: reads the posted fields into RegistrationInput (as typed, so the
// page can show them again) and checks them with the domain rules. Routes only call this.
import type { Basic4Prefill } from '../../../card/basic4.ts';
import type { MunicipalityList } from '../../domain/address.ts';
import { todayInJapan } from '../../domain/person.ts';
import {
  type RegistrationInput,
  type RegistrationResult,
  validateRegistration,
} from '../../domain/registration.ts';
import { applyPrefill } from './draft.ts';

const MAX_FIELD = 500;

const TEXT_FIELDS = [
  'userName',
  'sex',
  'dateOfBirthYear',
  'dateOfBirthMonth',
  'dateOfBirthDay',
  'prefectureCode',
  'municipalityCode',
  'streetAddress',
  'telephone',
  'email',
  'emailConfirm',
  'userCategory',
  'residenceCardNumber',
  'proxyNotificationNumber',
] as const satisfies readonly (keyof RegistrationInput)[];

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, MAX_FIELD) : '');

export function readStep1Form(body: Record<string, unknown>, prefill: Basic4Prefill): RegistrationInput {
  const input = { termsAgreed: body.termsAgreed === 'yes' } as RegistrationInput;
  for (const f of TEXT_FIELDS) input[f] = str(body[f]);
  return applyPrefill(input, prefill);
}

export function checkStep1(
  input: RegistrationInput,
  municipalities: MunicipalityList,
  now: Date,
): RegistrationResult {
  return validateRegistration(input, { today: todayInJapan(now), municipalities });
}
