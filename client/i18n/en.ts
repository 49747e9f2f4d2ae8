// English phrases of the user client software. Japanese is in ./ja.ts with the same keys.
export const en = {
  lang: 'en' as 'ja' | 'en' | 'ja-easy',
  langName: 'English',
  appName: 'User Client Software',
  appSubtitle: 'Online Residence Application System',
  languageSwitchLabel: 'Language',
  skipToContent: 'Skip to main content',
  errorTitlePrefix: 'Error',
  dialog: {
    /** The manual's dialog title: 利用者クライアントソフト パスワード入力. */
    title: 'User Client Software — Enter Password',
    requester: 'Request from',
    requesterHint:
      'This website asked to use your Individual Number card. Enter your password only if you started this yourself on this website.',
    purposeRegister: 'Purpose: user registration (your card signs to prove it is yours)',
    purposeAuthenticate: 'Purpose: sign in with your card',
    stepOf: (n: number, of: number) => `Step ${n} of ${of}`,
    signPrompt: "Enter your Individual Number card's Digital Signature PIN code (6–16 letters and digits).",
    authPrompt: "Enter your Individual Number card's Digital User ID PIN code (4 digits).",
    triesLeft: (n: number) => `Tries left: ${n}`,
    lastTry: 'Only one try is left. If this entry is also wrong, the password will be locked.',
    showPassword: 'Show password',
    ok: 'OK',
    cancel: 'Cancel',
    errorSummaryTitle: 'There is a problem',
    errors: {
      empty: 'Enter the password.',
      signFormat:
        'The Digital Signature PIN code is 6 to 16 characters, letters (A–Z) and digits (0–9) mixed. Nothing was sent to the card.',
      authFormat: 'The Digital User ID PIN code is 4 digits (0–9). Nothing was sent to the card.',
      wrong: (n: number) =>
        `The password is not correct. Tries left: ${n}. Check the password and enter it again.`,
      differentCard:
        'A different card is now in the reader. Put back the card you used for the first password, or cancel and start again.',
      cardError:
        'The card could not be read. Check that the card sits properly in the reader, then try again.',
    },
  },
  state: {
    noReaderTitle: 'No IC card reader',
    noReaderText: 'No IC card reader was found. Connect the IC card reader, then click Try again.',
    noCardTitle: 'Insert your Individual Number card',
    noCardText:
      'There is no card in the IC card reader. Insert your Individual Number card, then click Try again.',
    notJpkiTitle: 'This card cannot be used',
    notJpkiText:
      'The card in the reader is not an Individual Number card (or could not be read as one). Insert your Individual Number card, then click Try again.',
    cardErrorTitle: 'The card could not be read',
    cardErrorText: 'Check that the card sits properly in the reader, then click Try again.',
    noSignCertTitle: 'No Digital Signature certificate on this card',
    noSignCertText:
      'This card has no Digital Signature certificate (it is not issued to holders under 15, for example), so it cannot be used for user registration. You can apply for the certificate at your municipal office.',
    signBlockedTitle: 'The Digital Signature PIN code is locked',
    signBlockedText:
      'The Digital Signature PIN code was entered wrongly too many times and is now locked. It can be reset at your municipal office (with your card), or at a multi-copy machine in a convenience store where this service is offered.',
    authBlockedTitle: 'The Digital User ID PIN code is locked',
    authBlockedText:
      'The Digital User ID PIN code was entered wrongly too many times and is now locked. It can be reset at your municipal office (bring your card).',
    tryAgain: 'Try again',
    returnToSite: 'Return to the website',
    cancel: 'Cancel',
  },
  answer: {
    titleDone: 'Returning to the website',
    textDone: 'Your card has signed. You are being returned to the website.',
    titleEnded: 'Returning to the website',
    textEnded: 'The card step has ended. You are being returned to the website.',
    continue: 'Continue',
    noScript: 'If nothing happens, click Continue.',
    to: 'Destination',
  },
  expired: {
    title: 'This request has expired',
    text: 'The password dialog was open too long or has already been used. Go back to the website and start the card step again.',
  },
  status: {
    title: 'IC card reader status',
    reader: 'IC card reader',
    readerMissing: 'not available',
    card: 'Card',
    noCard: 'No card in the reader',
    cardPresent: 'A card is in the reader',
    cardKind: 'Card type',
    jpkiCard: 'Individual Number card',
    notJpki: 'Not an Individual Number card',
    signCert: 'Digital Signature certificate',
    present: 'present',
    absent: 'absent',
    signTries: 'Digital Signature PIN code: tries left',
    authTries: 'Digital User ID PIN code: tries left',
    blocked: 'locked',
    virtualTitle: 'Virtual reader (demo cards)',
    virtualHint:
      'This demo reader holds one of the card files in the cards directory. Choose a card and put it into the reader, or take the card out.',
    chooseCard: 'Demo cards',
    insert: 'Put this card into the reader',
    remove: 'Take the card out',
    noChoices: 'The cards directory holds no card files.',
    cardsDir: 'Cards directory',
    about:
      'This program runs on your computer only. It reads your Individual Number card for websites that you allow, and asks for your card’s passwords in its own dialog. Your passwords never leave this program.',
  },
  refused: {
    title: 'This request was refused',
    originFormat: 'The request did not name a valid website address.',
    originNotAllowed: 'The website that sent you here is not allowed to use your Individual Number card:',
    returnUrl: 'The return address of the request does not belong to the website that sent it.',
    badRequest: 'The request from the website was incomplete or malformed, so your card was not used.',
    cardUntouched: 'Your card was not used.',
    closeHint: 'You can close this page. If you were registering, start again from the website’s top page.',
  },
  forbidden: {
    title: 'Request refused',
    text: 'This request did not come from the user client software’s own page, so it was refused. Your card was not used.',
  },
  notFound: { title: 'Page not found', text: 'There is no page at this address.' },
};

export type Catalog = typeof en;
