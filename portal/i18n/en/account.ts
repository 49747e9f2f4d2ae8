// English phrases of the account area. Japanese: ../ja/account.ts (same keys, checked by the compiler).
// Functions take already formatted values (dates in Japan time, see portal/mail/format.ts).
import type { AccountNoticeCode } from '../codes.ts';
export const account = {
  /** Messages carried to the next page by portal/web/notice.ts (area 'account'). */
  notices: {
    passwordSet: 'Your password has been set. Sign in with your User ID and your new password.',
    signedOut: 'You have signed out.',
    signInRequired: 'Please sign in to see this page.',
    passwordChanged: 'Your password has been changed. We have sent a notice to your email address.',
    emailChangeSent:
      'We have sent a confirmation link to the new email address. The change takes effect when you open that link.',
    emailChanged:
      'Your email address has been changed. We have sent a notice to your previous email address.',
    cardNotRegistered:
      'The Individual Number card you used is not registered for this system. Sign in with your User ID and password, or register as a new user.',
    cardStale: 'Reading the card took too long. Please try again.',
  } satisfies Record<AccountNoticeCode, string>,
  fields: {
    userId: 'User ID',
    userIdHint: 'The User ID shown at the end of registration and in your registration email.',
    email: 'Email address',
    emailHint: 'The email address you registered.',
    password: 'Password',
    newPassword: 'New password',
    newPasswordHint:
      'At least 8 characters, up to 256. Any characters, including spaces, may be used; a long phrase of several words is easy to remember and hard to guess. Passwords that are widely used or have appeared in data breaches, and passwords containing your User ID or your name, cannot be used.',
    confirmPassword: 'New password (confirm)',
    confirmPasswordHint: 'Enter the same password again.',
    currentPassword: 'Current password',
    newEmail: 'New email address',
    confirmEmail: 'New email address (confirm)',
  },
  errors: {
    userIdRequired: 'Enter your User ID.',
    emailRequired: 'Enter your email address.',
    emailInvalid: 'Enter an email address in the correct format, such as name@example.com.',
    emailMismatch: 'The two email addresses do not match.',
    userIdInvalidCharacters:
      'The User ID contains characters that cannot be used. Enter it as shown in your registration email, for example 7K3M-9QXD-2HWE.',
    emailInvalidCharacters: 'The email address contains characters that cannot be used.',
    emailSame: 'This is already your registered email address.',
    passwordRequired: 'Enter your password.',
    currentPasswordWrong: 'The current password is incorrect.',
    reauthLocked: (until: string) =>
      `The current password was entered incorrectly too many times, so changes that need it are locked. Please try again after ${until} (Japan time). If you have forgotten your password, sign out and set a new one with “Forgot your password?”.`,
    password: {
      required: 'Enter a new password.',
      tooShort: 'The password must be at least 8 characters long.',
      tooLong: 'The password can be at most 256 characters long.',
      mismatch: 'The two passwords do not match.',
      common:
        'This password is widely used or has appeared in data breaches, so it is easy to guess. Choose another one.',
      containsUserId: 'The password must not contain your User ID.',
      containsName: 'The password must not contain your name.',
      invalidCharacters:
        'The password contains characters that cannot be used (control characters or text-direction marks). Enter it without them.',
      sameAsCurrent: 'The new password must be different from your current password.',
    },
    signinInvalid: (attempts: number, lockMinutes: number) =>
      `The User ID or password is incorrect. Check them and try again. After ${attempts} failed attempts in a row, sign-in for the User ID is locked for ${lockMinutes} minutes.`,
    lockedUser: (until: string) =>
      `Sign-in for this User ID is locked because of repeated failed attempts. Please try again after ${until} (Japan time). If you have forgotten your password, set a new one with “Forgot your password?”.`,
    lockedAddress: (until: string) =>
      `Sign-in from your network is locked because of many failed attempts. Please try again after ${until} (Japan time).`,
    noPassword:
      'No password has been set for this User ID yet. Set it with the link in your registration email, or request a new link below.',
  },
  signin: {
    title: 'Sign in',
    lead: 'Sign in with your User ID and password, or with your Individual Number card. If you have added a passkey on My page, you can also sign in with it.',
    passwordTitle: 'Sign in with your User ID and password',
    submit: 'Sign in',
    cardTitle: 'Sign in with your Individual Number card',
    cardText:
      'Place your card on the IC card reader. The user client software will ask only for the card’s Digital User ID PIN code (4 digits).',
    cardButton: 'Sign in with your card',
    forgotPassword: 'Forgot your password?',
    forgotUserId: 'Forgot your User ID?',
    newUser: 'Not registered yet? Register as a new user',
  },
  expired: {
    title: 'Your password has expired',
    text: (date: string) =>
      `Your password expired on ${date}. Passwords are valid for one year. We have sent a link to set a new password to your registered email address.`,
    textThrottled: (date: string) =>
      `Your password expired on ${date}. Passwords are valid for one year. A link to set a new password was sent to your registered email address a short time ago; please use that one.`,
    hint: 'Open the link in the email within its validity period and set a new password. Then sign in again.',
  },
  idle: {
    title: 'You have been signed out',
    text: (minutes: number) =>
      `For your security, you were signed out because there was no activity for ${minutes} minutes. Nothing is lost: sign in again to continue.`,
    textLifetime: (hours: number) =>
      `For your security, you were signed out because you signed in ${hours} hours ago. Nothing is lost: sign in again to continue.`,
    signIn: 'Sign in again',
  },
  signout: {
    button: 'Sign out',
  },
  setPassword: {
    title: 'Set your password',
    lead: 'Choose the password you will use to sign in. It is valid for one year; we will remind you by email 30 and 7 days before it expires.',
    userIdLabel: 'User ID',
    submit: 'Set password',
    show: 'Show password',
  },
  linkProblem: {
    expiredTitle: 'This link has expired',
    expiredText: (hours: number) =>
      `Links to set a password are valid for ${hours} hours and this one is no longer valid. You can ask for a new link below.`,
    usedTitle: 'This link has already been used',
    usedText:
      'Each link can be used only once. If you have already set your password, sign in. Otherwise ask for a new link below.',
    unknownTitle: 'This link is not valid',
    unknownText:
      'The link may be incomplete (long links are sometimes cut when copied) or may have been replaced by a newer one. Open the newest email, or ask for a new link below.',
    signIn: 'Sign in',
  },
  forgot: {
    title: 'Forgotten password',
    lead: 'Enter your User ID and the email address you registered. If they match a registration, we will send a link to set a new password to that address.',
    newLinkTitle: 'Ask for a new link',
    submit: 'Send the link',
    sentTitle: 'Check your email',
    sentText: (hours: number, cooldownMinutes: number) =>
      `If the User ID and email address match a registration, we have sent a link to set a password to that address. The link is valid for ${hours} hours and can be used once. A new link can be requested every ${cooldownMinutes} minutes at most.`,
    sentHint:
      'If no email arrives within a few minutes, check your spam folder, and make sure emails from our domain are allowed in your mail settings.',
    forgotUserId: 'Forgot your User ID? Look it up with your Individual Number card',
  },
  recoverUserId: {
    title: 'Forgotten User ID',
    lead: 'You can look up your User ID by reading your Individual Number card. The card proves who you are, so no form needs to be sent.',
    steps:
      'Place your card on the IC card reader and click the button. The user client software will ask only for the card’s Digital User ID PIN code (4 digits).',
    button: 'Read my card',
    foundTitle: 'Your User ID',
    foundText: 'The Individual Number card you used is registered with this User ID:',
    foundHint: 'Write it down or keep the registration email. You need it to sign in with a password.',
    notFoundTitle: 'No registration found for this card',
    notFoundText:
      'The Individual Number card you used is not registered. If you registered with another card (for example one that has been renewed), contact the help desk; otherwise register as a new user.',
    signIn: 'Sign in',
  },
  myPage: {
    title: 'My page',
    lead: 'Your registered information. To change your name, address or other details, please contact the help desk.',
    infoTitle: 'Registered information',
    userName: 'User name',
    sex: 'Sex',
    sexMale: 'Male',
    sexFemale: 'Female',
    dateOfBirth: 'Date of birth',
    address: 'Address in Japan',
    telephone: 'Telephone No.',
    email: 'Email address',
    userCategory: 'User category',
    residenceCardNumber: 'Residence Card number',
    residenceCardMasked: '(partly hidden)',
    proxyNumber: 'Certificate of proxy notification number',
    passwordValidUntil: 'Password valid until',
    changeEmail: 'Change email address',
    changePassword: 'Change password',
    applicationsTitle: 'Residency applications',
    applicationsText:
      'Residency applications are made through a separate procedure that is not part of this user registration service. Please read the “Making Online Residency Applications” manual for how to make them.',
    applicationsNote: 'This page is where the applications will start once that procedure is available here.',
  },
  changeEmail: {
    title: 'Change email address',
    lead: 'We will send a confirmation link to the new address. The change takes effect when you open it, and we will send a notice to your current address.',
    submit: 'Send confirmation link',
    back: 'Back to My page',
  },
  confirmEmail: {
    title: 'Confirm your new email address',
    text: (email: string) => `Click the button to use ${email} as your email address.`,
    submit: 'Confirm email address',
    invalidTitle: 'This link is not valid',
    invalidText:
      'The link has expired, has already been used or is incomplete. Sign in and change your email address again to get a new link.',
  },
  changePassword: {
    title: 'Change password',
    lead: 'Enter your current password, then the new one. The new password is valid for one year.',
    submit: 'Change password',
  },
  mail: {
    subjectPrefix: '[Online Residence Application System] ',
    greeting: (name: string) => `Dear ${name},`,
    userIdLine: (userId: string) => `User ID: ${userId}`,
    linkValidity: (until: string, hours: number) =>
      `The link can be used once and is valid until ${until} (Japan time, ${hours} hours).`,
    newLinkHint: (url: string) => `If the link has expired, you can ask for a new one here: ${url}`,
    allowDomain: (domain: string) =>
      `To make sure our emails reach you, allow emails from the domain “${domain}” in your email or mobile phone settings (domain-specific reception).`,
    notYou:
      'If you did not request this, you can ignore this email; nothing will change. If this keeps happening, contact the help desk.',
    noReply: 'This email was sent from a send-only address. Replies cannot be answered.',
    signature: 'Immigration Services Agency of Japan — Online Residence Application System',
    registrationComplete: {
      subject: 'User registration complete: please set your password',
      heading: 'The registration of your user information has been completed',
      text: 'Thank you for registering for the Online Residence Application System. Your User ID is below. To start using the system, set your password with this link:',
      button: 'Set your password',
    },
    passwordLink: {
      subject: 'Set a new password',
      heading: 'Set a new password',
      textForgot: 'We received a request to set a new password for the User ID below. Set it with this link:',
      textExpired:
        'The password for the User ID below has expired (passwords are valid for one year). Set a new one with this link:',
      button: 'Set a new password',
    },
    reminder: {
      subject: (days: number) => `Your password expires in ${days} days`,
      heading: 'Your password will expire soon',
      text: (until: string, days: number) =>
        `The password for the User ID below expires on ${until} (Japan time), in ${days} days. Sign in and change it on My page before then. After it expires, signing in will send you a link to set a new one.`,
      button: 'Sign in',
    },
    passwordChanged: {
      subject: 'Your password has been changed',
      heading: 'Your password has been changed',
      text: (at: string) => `The password for the User ID below was changed on ${at} (Japan time).`,
      warning:
        'If you did not change it, set a new password at once with “Forgot your password?” and contact the help desk.',
    },
    emailConfirm: {
      subject: 'Confirm your new email address',
      heading: 'Confirm your new email address',
      text: 'You asked to use this address for the User ID below. Confirm it with this link:',
      button: 'Confirm this email address',
    },
    emailChanged: {
      subject: 'Your email address has been changed',
      heading: 'Your email address has been changed',
      text: (at: string, masked: string) =>
        `The email address for the User ID below was changed on ${at} (Japan time) to ${masked}. Emails will no longer be sent to this address.`,
      warning: 'If you did not make this change, contact the help desk at once.',
    },
  },
};
