// English texts of the card step's failures, in the words of what the user was doing
// (registration, sign-in, User ID recovery, a new card on My page). Japanese: ../ja/card-step.ts.
import type { CardPurpose, CardStepErrorCode, PurposeWordedCode, Text } from '../codes.ts';

/** Said the same whatever the card step was for. */
const common = {
  no_card:
    'No card was found in the IC card reader. Place your Individual Number card on the reader, then start again.',
  not_jpki_card:
    'The card in the reader is not an Individual Number card with electronic certificates. Use your Individual Number card.',
  sign_password_blocked:
    'Your Digital Signature PIN code is locked after too many wrong entries. It can be reset at your municipal office, or re-initialised at a convenience-store terminal.',
  auth_pin_blocked:
    'Your Digital User ID PIN is locked after too many wrong entries. It can be reset at your municipal office.',
  card_error:
    'The card could not be read. Check that the card lies flat on the reader and start again. If this keeps happening, restart the user client software.',
  bad_request:
    'The user client software refused the request. Make sure it is up to date, then start again from this page.',
  request_unknown: 'The card step request was not recognised. Please start again.',
  request_used:
    'This card step result has already been used. For your security each result counts only once; please start again.',
  request_expired: (v) =>
    `The card step took longer than ${v.cardSessionMinutes} minutes and has expired. Please start again.`,
  session_mismatch:
    'The card step was finished in a different browser window or session. Please start again in this browser.',
  token_invalid: 'The answer from the user client software could not be read. Please start again.',
  origin_mismatch:
    'The card step was started for a different website address. Please start again from this page.',
  certificate_invalid: 'The electronic certificates on your card could not be read. Please start again.',
  certificate_untrusted:
    'The electronic certificates on your card were not issued by a trusted certification authority, so the card cannot be used here.',
  certificate_not_yet_valid:
    'The electronic certificates on your card are not valid yet. Check your computer’s date and time, then try again.',
  revocation_unavailable:
    'We could not check whether your card’s certificates are still valid. Please try again later.',
  auth_certificate_revoked:
    'The electronic certificates on your card have been revoked (for example because the card was reported lost). Ask your municipal office.',
  key_usage: 'The electronic certificates on your card cannot be used for this purpose.',
  signature_invalid:
    'The signature made with your card does not match this request (it may have been made for another website). Please start again from this page.',
} satisfies Record<Exclude<CardStepErrorCode, PurposeWordedCode>, Text>;

/** The codes whose words depend on the purpose. */
const words = {
  registration: {
    cancelled: 'The card step was cancelled in the user client software. Nothing was registered.',
    no_reader:
      'No IC card reader was found. Connect your IC card reader to this computer, then click "Foreign national (applicant) / other" again.',
    no_sign_certificate:
      'Your Individual Number card has no signature certificate (it is not issued to people under 15, for example). You need one to register; ask your municipal office.',
    certificate_expired:
      'The electronic certificates on your Individual Number card have expired. Renew them at your municipal office, then register again.',
    sign_certificate_revoked:
      'The signature certificate on your card is no longer valid. This happens after a change of address or name (for example after moving). Have a new certificate issued at your municipal office, then register again.',
  },
  signin: {
    cancelled: 'Signing in with your card was cancelled in the user client software. You are not signed in.',
    no_reader:
      'No IC card reader was found. Connect your IC card reader to this computer, then click "Sign in with your card" again.',
    no_sign_certificate:
      'Your Individual Number card has no signature certificate. Sign in with your User ID and password, or ask your municipal office.',
    certificate_expired:
      'The electronic certificates on your Individual Number card have expired. Renew them at your municipal office; until then, sign in with your User ID and password.',
    sign_certificate_revoked:
      'The signature certificate on your card is no longer valid (for example after moving). Sign in with your User ID and password, and have a new certificate issued at your municipal office.',
  },
  'recover-user-id': {
    cancelled: 'Reading your card was cancelled in the user client software. Your User ID was not looked up.',
    no_reader:
      'No IC card reader was found. Connect your IC card reader to this computer, then click "Read my card" again.',
    no_sign_certificate:
      'Your Individual Number card has no signature certificate. Ask your municipal office, or the help desk for your User ID.',
    certificate_expired:
      'The electronic certificates on your Individual Number card have expired. Renew them at your municipal office, then look up your User ID again.',
    sign_certificate_revoked:
      'The signature certificate on your card is no longer valid (for example after moving). Have a new certificate issued at your municipal office, then look up your User ID again.',
  },
  'renew-card': {
    cancelled: 'Reading the new card was cancelled in the user client software. Nothing has been changed.',
    no_reader:
      'No IC card reader was found. Connect your IC card reader to this computer, then enter your password and click "Read the new card" again.',
    no_sign_certificate:
      'The new card has no signature certificate. Ask your municipal office. Nothing has been changed.',
    certificate_expired:
      'The electronic certificates on this card have expired, so it cannot be linked. Renew them at your municipal office, then try again.',
    sign_certificate_revoked:
      'The signature certificate on this card is no longer valid (for example after moving). Have a new certificate issued at your municipal office, then try again.',
  },
} satisfies Record<CardPurpose, Record<PurposeWordedCode, string>>;

export const cardStep = {
  /** t.cardStep.notices[purpose][code]: every card-step failure, for each purpose. */
  notices: {
    registration: { ...common, ...words.registration },
    signin: { ...common, ...words.signin },
    'recover-user-id': { ...common, ...words['recover-user-id'] },
    'renew-card': { ...common, ...words['renew-card'] },
  } satisfies Record<CardPurpose, Record<CardStepErrorCode, Text>>,
};
