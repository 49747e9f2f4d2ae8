// English phrases of the registration area. Japanese: ../ja/registration.ts (same keys, checked by the compiler).
import type { FieldErrorCodes } from '../../domain/registration.ts';
import type { UserCategory } from '../../domain/user-category.ts';
import type { CardStepErrorCode, RegistrationNoticeCode, Text } from '../codes.ts';
import { cardStep } from './card-step.ts';

export const registration = {
  title: 'User information registration',
  /** Messages on the top page after a card step for registration or a draft ends. */
  notices: {
    ...cardStep.notices.registration,
    card_already_registered:
      'This Individual Number card is already registered as a user. Each card can register only once. Sign in with your User ID instead.',
    draft_expired:
      'Your entries were deleted because nothing was done for a while. Please start the registration again.',
    card_step_required:
      'To register, first read your Individual Number card: click "Foreign national (applicant) / other".',
  } satisfies Record<RegistrationNoticeCode | CardStepErrorCode, Text>,
  step1: {
    heading: 'Enter user information (STEP1)',
    intro:
      'The User name, Sex and Date of birth fields are filled in from your Individual Number card. Please fill in the other required fields. If one of those three fields is empty, please fill it in.',
    fromCard: 'Filled in from your Individual Number card',
    userName: {
      label: 'User name',
      hint: '1-byte alphabetical letters(upper case), up to 104 letters, separate two words by a space.',
      example: 'HOUMU TARO',
    },
    sex: { label: 'Sex', male: 'Male', female: 'Female' },
    dateOfBirth: {
      label: 'Date of birth',
      hint: 'Year (4 digits), month and day.',
      year: 'Year',
      month: 'Month',
      day: 'Day',
      example: '1990 4 1',
    },
    municipality: {
      label: 'Address in Japan (prefecture and municipality)',
      hint: 'Click Search, select your prefecture and choose the municipality that matches the address on your Residence Card.',
      search: 'Search',
      notChosen: 'Not selected yet',
      chosen: 'Selected: ',
    },
    streetAddress: {
      label: 'Address in Japan (street address)',
      hint: 'Block and building number, name of the building and apartment number, etc. Up to 100 characters.',
      example: 'Nishishinjuku 2-8-1',
    },
    telephone: {
      label: 'User contact information Telephone No.',
      hint: 'Your landline or mobile phone number, or a number where you can be reached during the day. Hyphens may be used.',
      example: '090-1234-5678',
    },
    email: {
      label: 'Email address',
      hint: 'The completion notice will be sent here.',
      example: 'user02@ens-test.com',
    },
    emailConfirm: { label: 'Email address (confirm)', hint: 'Re-enter your email address.' },
    userCategory: {
      label: 'User category',
      hint: 'Here you select who you will be making residency applications for.',
      choose: 'Please select',
      // The manual's STEP1 item 9, one line per choice (plus the application agents of the proxy field).
      guide: [
        'Select Foreign National if you will be making residency applications for yourself.',
        'Select Legal Representative if you will be making residency applications on behalf of a family as a person legally recognized to perform proxy procedures.',
        'Select Spouse, Child, Father, or Mother (excluding legal representatives) if you will be making residency applications on behalf of a family as the wife, husband, child, or parent of the family.',
        'Select Attorney or Administrative Procedures Legal Specialist if you will be making residency applications on behalf of others as a notified application agent, and enter your certificate of proxy notification number.',
      ],
    },
    residenceCardNumber: {
      label: 'Residence Card number',
      hint: 'Required if the selected user category is Foreign National. 2 letters, 8 digits, 2 letters.',
      example: 'AB12345678CD',
    },
    proxyNotificationNumber: {
      label: 'Certificate of proxy notification number',
      hint: 'Required if the selected user type is Attorney /Administrative Procedures Legal Specialist',
      howTo:
        'For information on how to check your number of certificate of proxy Notification, refer to the following link:',
      howToLink: 'How to check your number of certificate of proxy Notification',
      format: '1-byte numeric characters, up to 12 letters',
      example: '123456789012',
    },
    terms: {
      title: 'Terms of Use',
      intro: 'Read the Terms of Use and if you agree, check "I agree to the Terms of Use."',
      link: 'Terms of Use are here.',
      newWindow: '(opens in a new window)',
      agree: 'I agree to the Terms of Use.',
    },
    confirm: 'Confirm',
    back: 'Back',
  },
  userCategories: {
    foreign_national: 'Foreign National',
    legal_representative: 'Legal Representative',
    spouse: 'Spouse',
    child: 'Child',
    father: 'Father',
    mother: 'Mother',
    attorney: 'Attorney',
    administrative_scrivener: 'Administrative Procedures Legal Specialist',
  } satisfies Record<UserCategory, string>,
  errors: {
    userName: {
      required: 'Enter your user name.',
      invalid_characters: 'Enter your user name in letters A to Z only, with a space between words.',
      too_long: 'Enter your user name in 104 letters or fewer.',
    },
    sex: { required: 'Select your sex.' },
    dateOfBirth: {
      required: 'Enter your date of birth: year, month and day.',
      invalid_date: 'Enter a real date of birth, for example 1990 4 1.',
      not_past: 'Your date of birth must be in the past.',
      too_old: 'Enter a year of birth from 1900 onwards.',
    },
    municipality: {
      required: 'Select your prefecture and municipality with the Search button.',
      unknown: 'Select your municipality again with the Search button.',
    },
    streetAddress: {
      required: 'Enter your street address.',
      too_long: 'Enter your street address in 100 characters or fewer.',
      invalid_characters: 'Your street address contains characters that cannot be used.',
    },
    telephone: {
      required: 'Enter your telephone number.',
      invalid_characters: 'Enter your telephone number with digits (hyphens may be used).',
      invalid_number:
        'Enter a Japanese telephone number: 10 digits for a landline (e.g. 03-1234-5678) or 11 digits for a mobile phone (e.g. 090-1234-5678).',
    },
    email: {
      required: 'Enter your email address.',
      invalid: 'Enter your email address in the correct form, for example name@example.jp.',
      too_long: 'Enter an email address of 254 characters or fewer.',
      invalid_characters: 'Your email address contains characters that cannot be used.',
    },
    emailConfirm: {
      required: 'Re-enter your email address to confirm it.',
      mismatch: 'The two email addresses do not match.',
      invalid_characters: 'The email address entered to confirm contains characters that cannot be used.',
    },
    userCategory: { required: 'Select your user category.' },
    residenceCardNumber: {
      required: 'Enter your Residence Card number (required for Foreign National).',
      invalid_format:
        'Enter your Residence Card number as 2 letters, 8 digits and 2 letters, for example AB12345678CD.',
      invalid_characters: 'Your Residence Card number contains characters that cannot be used.',
    },
    proxyNotificationNumber: {
      required:
        'Enter your certificate of proxy notification number (required for Attorney and Administrative Procedures Legal Specialist).',
      invalid_format: 'Enter your certificate of proxy notification number in up to 12 digits.',
      invalid_characters:
        'Your certificate of proxy notification number contains characters that cannot be used.',
    },
    termsAgreed: { required: 'Read the Terms of Use and check "I agree to the Terms of Use."' },
  } satisfies { [F in keyof FieldErrorCodes]: Record<FieldErrorCodes[F], string> },
  search: {
    title: 'Search',
    conditions: 'Search conditions',
    prefecture: 'Prefecture',
    choosePrefecture: 'Please select',
    search: 'Search',
    results: 'Search results',
    count: (n: number) => `${n} municipalities`,
    choose: 'Select',
    close: 'Close',
    backToForm: 'Back to the form',
    selectPrefectureFirst: 'Select a prefecture, then click Search.',
    failed: 'The search could not be completed. Check your connection, then click Search again.',
  },
  step2: {
    heading: 'Confirm user information (STEP2)',
    lead: 'Information entered in Enter user information (STEP1)',
    check: 'Check that the information is correct. To correct it, click Back.',
    none: 'Not entered',
    termsAgreed: 'I agree to the Terms of Use.',
    register: 'Registration',
    back: 'Back',
  },
  step3: {
    heading: 'Completion of user information registration (STEP3)',
    done: 'The registration of your user information has been completed',
    emailSent: (email: string) =>
      `A notification of completion of user information registration will be sent to your email address ${email}`,
    userId: 'User ID',
    setPassword: 'Follow the instructions in the confirmation email and set a password.',
    backToTop: 'Back to Top page',
  },
};
