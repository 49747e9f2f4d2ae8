// English phrases of passkeys (docs/decisions/1101-passkeys-second-way-to-sign-in.md).
// Japanese: ../ja/passkeys.ts (same keys, checked by the compiler).
import type { PasskeysNoticeCode } from '../codes.ts';
export const passkeys = {
  /** Messages carried to the next page by portal/web/notice.ts (area 'passkeys'). */
  notices: {
    added:
      'Your passkey has been added. From now on you can sign in with it. We have sent a notice to your registered email address.',
    removed:
      'The passkey has been removed. It can no longer be used to sign in. We have sent a notice to your registered email address.',
    renamed: 'The passkey has been renamed.',
    confirmed: 'Thank you. For the next 5 minutes you can add or remove passkeys.',
    proofNeeded: 'To add or remove a passkey, first confirm it is you with your password.',
    notFound: 'This passkey was not found. It may have been removed already.',
  } satisfies Record<PasskeysNoticeCode, string>,
  /** The link on My page. */
  myPageLink: 'Sign in with a passkey (manage passkeys)',
  signin: {
    title: 'Sign in with a passkey',
    text: 'If you have added a passkey on My page, you can sign in with your fingerprint, face or the screen lock of your device, without a password or an IC card reader.',
    button: 'Sign in with a passkey',
    noScript:
      'Signing in with a passkey needs JavaScript, which is turned off in this browser. Sign in with your User ID and password or with your Individual Number card instead.',
    unsupported:
      'This browser cannot use passkeys. Sign in with your User ID and password or with your Individual Number card instead.',
    working: 'Follow the instructions of your browser or device…',
    errors: {
      cancelled: 'Signing in with a passkey was cancelled or timed out. You can try again.',
      failed:
        'You could not be signed in with this passkey. Try again, or sign in with your User ID and password or with your Individual Number card.',
      unknown:
        'This passkey is not registered with this system (it may have been removed). Sign in with your User ID and password or with your Individual Number card.',
      expired: 'Signing in took too long. Please try again.',
      cloned:
        'This passkey could not be used because it may have been copied. Sign in with your Individual Number card, remove the passkey on My page and add it again.',
    },
  },
  page: {
    title: 'Passkeys',
    lead: 'A passkey lets you sign in with the fingerprint, face or screen lock of your phone or computer, instead of your password or the IC card reader. The passkey stays on your device; this system keeps only what it needs to check it.',
    recovery:
      'If you lose the devices with your passkeys, you can always sign in with your Individual Number card (or your User ID and password) and remove the lost passkeys here.',
    listTitle: 'Your passkeys',
    none: 'You have not added a passkey yet.',
    name: 'Name',
    added: 'Added',
    lastUsed: 'Last used',
    never: 'Not used yet',
    jst: (date: string) => `${date} (Japan time)`,
    renameLabel: (name: string) => `New name for “${name}”`,
    renameButton: 'Rename',
    removeButton: (name: string) => `Remove “${name}”`,
    proofTitle: 'Confirm it is you',
    proofText:
      'Adding or removing a passkey needs a fresh proof that it is you: enter your password here, or sign out and sign in again with your Individual Number card. This is valid for 5 minutes.',
    proofButton: 'Confirm',
    proofValid: 'You have confirmed it is you. You can add or remove passkeys for the next 5 minutes.',
    addTitle: 'Add a passkey',
    addText:
      'Give the passkey a name you will recognise (for example the name of the device), then click “Add a passkey” and follow the instructions of your browser or device.',
    nameLabel: 'Name of the passkey',
    nameHint: 'Up to 64 characters.',
    defaultName: (n: number) => `Passkey ${n}`,
    addButton: 'Add a passkey',
    addNoScript: 'Adding a passkey needs JavaScript, which is turned off in this browser.',
    addUnsupported: 'This browser cannot create passkeys.',
    tooMany: (max: number) =>
      `You have ${max} passkeys, the most an account can have. Remove one to add another.`,
    working: 'Follow the instructions of your browser or device…',
    back: 'Back to My page',
    errors: {
      name: 'Enter a name of 1 to 64 characters.',
      cancelled: 'Adding the passkey was cancelled or timed out. You can try again.',
      failed: 'The passkey could not be added. Please try again.',
      taken: 'This passkey is already registered. Nothing has been changed.',
      expired: 'Adding the passkey took too long. Please try again.',
      proof: 'More than 5 minutes have passed since you confirmed it is you. Enter your password again.',
    },
  },
  mail: {
    added: {
      subject: 'A passkey has been added to your account',
      heading: 'A passkey has been added to your account',
      text: (at: string, name: string) =>
        `A passkey named “${name}” was added to the User ID below on ${at} (Japan time). It can now be used to sign in.`,
    },
    removed: {
      subject: 'A passkey has been removed from your account',
      heading: 'A passkey has been removed from your account',
      text: (at: string, name: string) =>
        `The passkey named “${name}” was removed from the User ID below on ${at} (Japan time). It can no longer be used to sign in.`,
    },
    warning:
      'If you did not make this change, sign in with your Individual Number card, check your passkeys on My page and contact the help desk.',
  },
};
