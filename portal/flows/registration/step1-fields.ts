// STEP1's field table: the one list of the form's twelve fields, in the manual's order. The
// form reader (step1-form.ts) reads the posted names from it, the page (web/views/registration/
// step1.tsx) draws one block per row and its error summary follows the same order.
import type { Basic4Prefill } from '../../../card/basic4.ts';
import { STREET_ADDRESS_MAX } from '../../domain/address.ts';
import { EMAIL_MAX } from '../../domain/contact.ts';
import { USER_NAME_MAX } from '../../domain/person.ts';
import type { FieldName, RegistrationInput } from '../../domain/registration.ts';
import { PROXY_NUMBER_MAX } from '../../domain/user-category.ts';
import type { Catalog } from '../../i18n/index.ts';

/** How a field is drawn: one input of a type, a radio group, three date parts, the Search button, … */
export type Step1FieldKind =
  | 'text'
  | 'tel'
  | 'email'
  | 'radio'
  | 'date'
  | 'municipality'
  | 'select'
  | 'checkbox';

/** The posted names that are text (everything but the terms check box). */
export type Step1TextInput = Exclude<keyof RegistrationInput, 'termsAgreed'>;

export interface Step1Field {
  /** The rule's name: the key of its error codes and catalog error texts. */
  field: FieldName;
  /** Its texts under `registration.step1` in the catalogs (label or title, hint, example). */
  label: keyof Catalog['registration']['step1'];
  kind: Step1FieldKind;
  /** The id of the block (its label's `for`, its hint's and error's id prefix). */
  id: string;
  /** The element its line in the error summary links to (the first control of a group). */
  target: string;
  /** The posted names it reads (several for date of birth and the municipality). */
  inputs: readonly (keyof RegistrationInput)[];
  required: boolean;
  /** Filled in from the card (shown read-only with a note) when the card gave this part. */
  fromCard?: keyof Basic4Prefill;
  /** The rule's limit in characters, where the rule has one (the form does not cut at it). */
  max?: number;
  autoComplete?: string;
  numeric?: boolean;
  noSpellcheck?: boolean;
}

export const STEP1_FIELDS = [
  {
    field: 'userName',
    label: 'userName',
    kind: 'text',
    id: 'userName',
    target: 'userName',
    inputs: ['userName'],
    required: true,
    fromCard: 'userName',
    max: USER_NAME_MAX,
    autoComplete: 'name',
    noSpellcheck: true,
  },
  {
    field: 'sex',
    label: 'sex',
    kind: 'radio',
    id: 'sex',
    target: 'sex-male',
    inputs: ['sex'],
    required: true,
    fromCard: 'sex',
  },
  {
    field: 'dateOfBirth',
    label: 'dateOfBirth',
    kind: 'date',
    id: 'dateOfBirth',
    target: 'dateOfBirthYear',
    inputs: ['dateOfBirthYear', 'dateOfBirthMonth', 'dateOfBirthDay'],
    required: true,
    fromCard: 'dateOfBirth',
  },
  {
    field: 'municipality',
    label: 'municipality',
    kind: 'municipality',
    id: 'municipality-field',
    target: 'municipality',
    inputs: ['prefectureCode', 'municipalityCode'],
    required: true,
  },
  {
    field: 'streetAddress',
    label: 'streetAddress',
    kind: 'text',
    id: 'streetAddress',
    target: 'streetAddress',
    inputs: ['streetAddress'],
    required: true,
    max: STREET_ADDRESS_MAX,
    autoComplete: 'address-line1',
  },
  {
    field: 'telephone',
    label: 'telephone',
    kind: 'tel',
    id: 'telephone',
    target: 'telephone',
    inputs: ['telephone'],
    required: true,
    autoComplete: 'tel-national',
  },
  {
    field: 'email',
    label: 'email',
    kind: 'email',
    id: 'email',
    target: 'email',
    inputs: ['email'],
    required: true,
    max: EMAIL_MAX,
    autoComplete: 'email',
    noSpellcheck: true,
  },
  {
    field: 'emailConfirm',
    label: 'emailConfirm',
    kind: 'email',
    id: 'emailConfirm',
    target: 'emailConfirm',
    inputs: ['emailConfirm'],
    required: true,
    max: EMAIL_MAX,
    autoComplete: 'email',
    noSpellcheck: true,
  },
  {
    field: 'userCategory',
    label: 'userCategory',
    kind: 'select',
    id: 'userCategory',
    target: 'userCategory',
    inputs: ['userCategory'],
    required: true,
  },
  {
    field: 'residenceCardNumber',
    label: 'residenceCardNumber',
    kind: 'text',
    id: 'residenceCardNumber',
    target: 'residenceCardNumber',
    inputs: ['residenceCardNumber'],
    required: false,
    autoComplete: 'off',
    noSpellcheck: true,
  },
  {
    field: 'proxyNotificationNumber',
    label: 'proxyNotificationNumber',
    kind: 'text',
    id: 'proxyNotificationNumber',
    target: 'proxyNotificationNumber',
    inputs: ['proxyNotificationNumber'],
    required: false,
    max: PROXY_NUMBER_MAX,
    autoComplete: 'off',
    numeric: true,
  },
  {
    field: 'termsAgreed',
    label: 'terms',
    kind: 'checkbox',
    id: 'terms',
    target: 'termsAgreed',
    inputs: ['termsAgreed'],
    required: true,
  },
] as const satisfies readonly Step1Field[];

/** The rules' names in the manual's order (the error summary lists them so). */
export const STEP1_FIELD_ORDER: readonly FieldName[] = STEP1_FIELDS.map((f) => f.field);

/** Every posted text name, in the order of the page. */
export const STEP1_TEXT_INPUTS: readonly Step1TextInput[] = STEP1_FIELDS.flatMap((f) =>
  f.inputs.filter((i): i is Step1TextInput => i !== 'termsAgreed'),
);
