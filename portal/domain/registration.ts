// The whole STEP1 form as one rule: each field's own rule, in the manual's order, every
// error collected (the page shows them all at once and keeps every entry).
import {
  type MunicipalityError,
  type MunicipalityList,
  parseMunicipality,
  parseStreetAddress,
  type StreetAddressError,
} from './address.ts';
import {
  type EmailConfirmError,
  type EmailError,
  parseEmail,
  parseEmailConfirm,
  parseTelephone,
  type TelephoneError,
} from './contact.ts';
import { hasForbiddenCharacters } from './normalize.ts';
import {
  type DateOfBirthError,
  parseDateOfBirth,
  parseSex,
  parseUserName,
  type Sex,
  type SexError,
  type UserNameError,
} from './person.ts';
import { err } from './result.ts';
import {
  type ProxyNotificationNumberError,
  parseProxyNotificationNumber,
  parseResidenceCardNumber,
  parseUserCategory,
  type ResidenceCardNumberError,
  type UserCategory,
  type UserCategoryError,
} from './user-category.ts';

/** What the applicant typed, as strings (kept as typed so the form can show them again). */
export interface RegistrationInput {
  userName: string;
  sex: string;
  dateOfBirthYear: string;
  dateOfBirthMonth: string;
  dateOfBirthDay: string;
  prefectureCode: string;
  municipalityCode: string;
  streetAddress: string;
  telephone: string;
  email: string;
  emailConfirm: string;
  userCategory: string;
  residenceCardNumber: string;
  proxyNotificationNumber: string;
  termsAgreed: boolean;
}

export const emptyRegistrationInput = (): RegistrationInput => ({
  userName: '',
  sex: '',
  dateOfBirthYear: '',
  dateOfBirthMonth: '',
  dateOfBirthDay: '',
  prefectureCode: '',
  municipalityCode: '',
  streetAddress: '',
  telephone: '',
  email: '',
  emailConfirm: '',
  userCategory: '',
  residenceCardNumber: '',
  proxyNotificationNumber: '',
  termsAgreed: false,
});

/** The checked, normalised entries: what STEP2 shows and what is stored. */
export interface Registration {
  userName: string;
  sex: Sex;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  prefectureCode: string;
  municipalityCode: string;
  streetAddress: string;
  /** digits only */
  telephone: string;
  email: string;
  userCategory: UserCategory;
  residenceCardNumber: string | null;
  proxyNotificationNumber: string | null;
}

export type TermsError = 'required';

/** Each field's possible error codes; the catalogs are typed against this map. */
export interface FieldErrorCodes {
  userName: UserNameError;
  sex: SexError;
  dateOfBirth: DateOfBirthError;
  municipality: MunicipalityError;
  streetAddress: StreetAddressError;
  telephone: TelephoneError;
  email: EmailError;
  emailConfirm: EmailConfirmError | 'invalid_characters';
  userCategory: UserCategoryError;
  residenceCardNumber: ResidenceCardNumberError;
  proxyNotificationNumber: ProxyNotificationNumberError;
  termsAgreed: TermsError;
}
export type FieldName = keyof FieldErrorCodes;
export type FieldErrors = { [F in FieldName]?: FieldErrorCodes[F] };

export interface RegistrationContext {
  /** YYYY-MM-DD, today in Japan. */
  today: string;
  municipalities: MunicipalityList;
}

export type RegistrationResult = { ok: true; value: Registration } | { ok: false; errors: FieldErrors };

export function validateRegistration(input: RegistrationInput, ctx: RegistrationContext): RegistrationResult {
  const userName = parseUserName(input.userName);
  const sex = parseSex(input.sex);
  const dateOfBirth = parseDateOfBirth(
    { year: input.dateOfBirthYear, month: input.dateOfBirthMonth, day: input.dateOfBirthDay },
    ctx.today,
  );
  const municipality = parseMunicipality(input.prefectureCode, input.municipalityCode, ctx.municipalities);
  const streetAddress = parseStreetAddress(input.streetAddress);
  const telephone = parseTelephone(input.telephone);
  const email = parseEmail(input.email);
  // Said of the confirmation itself, not as a mismatch (the account flows keep EmailConfirmError).
  const emailConfirm = hasForbiddenCharacters(input.emailConfirm)
    ? err('invalid_characters')
    : parseEmailConfirm(input.email, input.emailConfirm);
  const userCategory = parseUserCategory(input.userCategory);
  const category = userCategory.ok ? userCategory.value : undefined;
  const residenceCardNumber = parseResidenceCardNumber(input.residenceCardNumber, category);
  const proxyNotificationNumber = parseProxyNotificationNumber(input.proxyNotificationNumber, category);

  const errors: FieldErrors = {};
  if (!userName.ok) errors.userName = userName.error;
  if (!sex.ok) errors.sex = sex.error;
  if (!dateOfBirth.ok) errors.dateOfBirth = dateOfBirth.error;
  if (!municipality.ok) errors.municipality = municipality.error;
  if (!streetAddress.ok) errors.streetAddress = streetAddress.error;
  if (!telephone.ok) errors.telephone = telephone.error;
  if (!email.ok) errors.email = email.error;
  if (!emailConfirm.ok) errors.emailConfirm = emailConfirm.error;
  if (!userCategory.ok) errors.userCategory = userCategory.error;
  if (!residenceCardNumber.ok) errors.residenceCardNumber = residenceCardNumber.error;
  if (!proxyNotificationNumber.ok) errors.proxyNotificationNumber = proxyNotificationNumber.error;
  if (!input.termsAgreed) errors.termsAgreed = 'required';

  if (
    !userName.ok ||
    !sex.ok ||
    !dateOfBirth.ok ||
    !municipality.ok ||
    !streetAddress.ok ||
    !telephone.ok ||
    !email.ok ||
    !emailConfirm.ok ||
    !userCategory.ok ||
    !residenceCardNumber.ok ||
    !proxyNotificationNumber.ok ||
    !input.termsAgreed
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      userName: userName.value,
      sex: sex.value,
      dateOfBirth: dateOfBirth.value,
      prefectureCode: municipality.value.prefectureCode,
      municipalityCode: municipality.value.municipalityCode,
      streetAddress: streetAddress.value,
      telephone: telephone.value,
      email: email.value,
      userCategory: userCategory.value,
      residenceCardNumber: residenceCardNumber.value,
      proxyNotificationNumber: proxyNotificationNumber.value,
    },
  };
}
