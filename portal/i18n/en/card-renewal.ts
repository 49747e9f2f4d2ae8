// English phrases of "Use a new Individual Number card" (docs/decisions/0702-card-renewal.md).
// Japanese: ../ja/card-renewal.ts (same keys, checked by the compiler).
import type { CardRenewalNoticeCode } from '../codes.ts';
export const cardRenewal = {
  /** Messages carried to the next page by portal/web/notice.ts (area 'cardRenewal'). */
  notices: {
    renewed:
      'Your new Individual Number card is now linked to your account. From now on, sign in with the new card. We have sent a notice to your registered email address.',
    same: 'This Individual Number card is already the card linked to your account. Nothing has been changed.',
    replaced:
      'This Individual Number card was replaced by a newer card on your account, so it cannot be linked again. Read your newest card.',
    otherAccount:
      'This Individual Number card is linked to another account, so it cannot be linked to yours. Nothing has been changed. If you think this is wrong, contact the help desk.',
    stale: 'Reading the card took too long. Please try again.',
  } satisfies Record<CardRenewalNoticeCode, string>,
  /** The link on My page. */
  myPageLink: 'Use a new Individual Number card',
  page: {
    title: 'Use a new Individual Number card',
    lead: 'A renewed Individual Number card (for example after its electronic certificates expired after five years, or a card issued again) carries new electronic certificates. Link the new card to this account here, and you can sign in and look up your User ID with it. You do not need to register again.',
    stepsTitle: 'How to link the new card',
    steps: [
      'Place your new card on the IC card reader.',
      'Enter your current password and click “Read the new card”.',
      'The user client software asks only for the new card’s Digital User ID PIN code (4 digits).',
    ],
    after:
      'The new card then replaces the card linked now, which can no longer be used to sign in. We will send a notice to your registered email address.',
    submit: 'Read the new card',
    back: 'Back to My page',
    historyTitle: 'Cards used with this account',
    current: (linkedAt: string) => `Current card, linked on ${linkedAt} (Japan time)`,
    replaced: (linkedAt: string, replacedAt: string) =>
      `Linked on ${linkedAt}, replaced on ${replacedAt} (Japan time)`,
  },
  /** On STEP1, when the card's name, sex and date of birth match a registered user. */
  step1Hint: {
    title: 'You may already be registered',
    text: 'A user with the same name, sex and date of birth as on this card is already registered. If you registered before with another card (for example before your card was renewed), do not register again: sign in with your User ID and password, and choose “Use a new Individual Number card” on My page to link this card to your account.',
    signIn: 'Sign in to link this card',
    otherwise: 'If you have not registered before, continue below.',
  },
  mail: {
    subject: 'A new Individual Number card has been linked to your account',
    heading: 'A new Individual Number card has been linked to your account',
    text: (at: string) =>
      `A new Individual Number card was linked to the User ID below on ${at} (Japan time). It replaces the card used until now.`,
    next: 'From now on, sign in and look up your User ID with the new card. The previous card can no longer be used with this system.',
    warning: 'If you did not make this change, contact the help desk at once.',
  },
};
