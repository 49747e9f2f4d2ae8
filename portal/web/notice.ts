// The text of a stored notice (flows/session-data.ts keeps only its codes, so the text follows the
// language the page is shown in). Card-step failures are worded for what the user was doing.
import type { FastifyRequest } from 'fastify';
import { takeNotice } from '../flows/session-data.ts';
import { type Notice, type TextValues, textOf } from '../i18n/codes.ts';
import type { Catalog } from '../i18n/index.ts';
import { isCardStepError } from '../identity/errors.ts';

export type { Notice };

export function noticeText(t: Catalog, n: Notice, values: TextValues): string {
  switch (n.area) {
    case 'cardStep':
      return textOf(t.cardStep.notices[n.purpose][n.code], values);
    case 'registration':
      return textOf(t.registration.notices[n.code], values);
    case 'account':
      return t.account.notices[n.code];
    case 'cardRenewal':
      return t.cardRenewal.notices[n.code];
    case 'passkeys':
      return t.passkeys.notices[n.code];
  }
}

/** A failed card step: its message is followed by a link to the Startup Guide. */
export function noticeNeedsGuide(n: Notice): boolean {
  return n.area === 'cardStep' || (n.area === 'registration' && isCardStepError(n.code));
}

/** The notice left for this page, as the page shows it (taken from the session: shown once). */
export function pageNotice(
  request: FastifyRequest,
  values: TextValues,
): { kind: 'error' | 'info'; text: string; guide: boolean } | undefined {
  const n = takeNotice(request.session);
  return n && { kind: n.kind, text: noticeText(request.t, n, values), guide: noticeNeedsGuide(n) };
}
