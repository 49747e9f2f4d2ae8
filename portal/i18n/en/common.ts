// English phrases used across the portal. Japanese is in ../ja/common.ts with the same keys.
export const common = {
  langName: 'English',
  systemName: 'Online Residence Application System',
  systemNameShort: 'Residence Online',
  agency: 'Immigration Services Agency of Japan',
  skipToContent: 'Skip to main content',
  languageSwitchLabel: 'Language',
  /** The switch for readings over kanji, shown only in Easy Japanese. */
  readings: { show: 'Show readings (furigana)', hide: 'Hide readings (furigana)' },
  required: 'Required',
  optional: 'Optional',
  example: 'e.g. ',
  errorTitlePrefix: 'Error',
  errorSummaryTitle: 'There is a problem with your entries',
  errorSummaryHint: 'Correct the fields marked with a red exclamation mark, then try again.',
  errorIconLabel: 'Error:',
  footerTerms: 'Terms of Use',
  footerSources: 'Sources and licences',
  headerSignIn: 'Sign in',
  headerMyPage: 'My page',
  submitDefault: 'Submit',
  footerPrepare: 'Items to prepare',
  footerCopyright: '© Immigration Services Agency of Japan',
  steps: {
    label: 'Registration steps',
    step1: 'Enter user information (STEP1)',
    step2: 'Confirm user information (STEP2)',
    step3: 'Completion of user information registration (STEP3)',
    current: 'current step',
    done: 'completed',
  },
  home: {
    title: 'Online Residence Application System',
    lead: 'Make residency applications online with your Individual Number card.',
    newUserTitle: 'New User Registration (Registration to use the online system)',
    newUserText:
      'To use the online system, register as a user first. Scan your Individual Number card with an IC card reader, then click the button below.',
    applicantButton: 'Foreign national (applicant) / other',
    prepareLink: 'Items to prepare before registering as a user',
    registeredTitle: 'Registered users',
    registeredText: 'Sign in with your User ID and password, or with your Individual Number card.',
    signIn: 'Sign in',
    forgotPassword: 'Forgot your password?',
    forgotUserId: 'Forgot your User ID?',
    whoTitle: 'Who can register',
    whoText:
      'Everyone registers with their own Individual Number card through "Foreign national (applicant) / other". On STEP1, the user category says for whom you will make residency applications.',
    // Who can register: each kind of user and the user category it selects on STEP1.
    whoCategory: 'User category to select on STEP1: ',
    whoForeignNational:
      'A foreign national making residency applications for yourself (you also need your Residence Card)',
    whoLegalRepresentative:
      'A legal representative making residency applications on behalf of a family, as a person legally recognized to perform proxy procedures',
    whoFamily:
      'The spouse, child, father or mother of a foreign national, making residency applications on behalf of the family (excluding legal representatives)',
    whoAgent:
      'An attorney or Administrative Procedures Legal Specialist (gyoseishoshi lawyer) who has notified the Regional Immigration Services Bureau as an application agent (you also need your certificate of proxy notification number)',
    startupGuideLink: 'Startup Guide: preparing your card, the IC card reader and the user client software',
    /** After every card-step failure notice. */
    noticeGuide: 'Help with the card, the IC card reader and the user client software: Startup Guide',
  },
  prepare: {
    title: 'Items to prepare before registering as a user',
    lead: 'Please prepare the following items before starting the user registration process.',
    card: 'Your Individual Number card',
    cardHint:
      'You will need its Digital Signature PIN code (6 to 16 letters and digits) and its Digital User ID PIN code (4 digits).',
    residenceCard: 'Your Residence Card, if you intend to make residency applications for yourself',
    client: 'The user client software, installed on your computer',
    clientHint:
      'It reads your card and asks for the card’s PIN codes in its own window. Your PIN codes are never sent to this website.',
    reader: 'An IC card reader connected to your computer',
    start: 'Start registration',
    back: 'Back to Top page',
    startupGuide:
      'Please read the Startup Guide for details about preparing for the user registration process.',
  },
  terms: {
    title: 'Terms of Use',
  },
  sources: {
    title: 'Sources and licences',
    municipalities:
      'Source: Digital Agency, Address Base Registry (city and prefecture masters), CC BY 4.0; modified.',
    tokens: 'Design tokens: Digital Agency design system (@digital-go-jp/design-tokens), MIT licence.',
  },
  notFound: {
    title: 'Page not found',
    text: 'The page you were looking for does not exist. The address may be wrong, or the page may have moved.',
    back: 'Back to Top page',
  },
  unavailable: {
    title: 'Please try again in a moment',
    text: 'The service cannot save or read your data just now. Nothing has been lost: what you entered before this page is kept, and this page holds what you just sent. Press "Try again" in a few seconds.',
    retry: 'Try again',
  },
  serverError: {
    title: 'Something went wrong',
    text: 'We could not complete your request because of a problem on our side. Please try again in a few minutes. Nothing you entered has been registered twice.',
    reference: 'Reference number',
    back: 'Back to Top page',
  },
  badRequest: {
    title: 'The request could not be read',
    text: 'What your browser sent could not be read. Please go back and try again.',
  },
  csrf: {
    title: 'This page has expired',
    text: 'For your security the form could not be accepted, because the page was open too long or was sent from another site. Please go back, reload the page and try again.',
  },
  tooLarge: {
    title: 'What you sent is too long',
    text: 'The form you sent is much longer than any entry can be. Please go back, shorten the entries and try again.',
  },
  notAForm: {
    title: 'What you sent is not a form',
    text: 'This site accepts only what the forms on its own pages send. Please go back, reload the page and try again.',
  },
  tooMany: {
    title: 'Too many requests',
    text: 'You have sent too many requests in a short time. Please wait a minute and try again.',
  },
};
