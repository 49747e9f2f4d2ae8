import type { Catalog } from '../i18n/index.ts';
import { isCardStepError } from '../identity/errors.ts';
import type { Session } from './session.ts';

/**
 * A message for the next page (e.g. a failed card step returning to the top page).
 * Only the code is stored, so the text follows the language even if the user switches it.
 * Texts live in the catalogs at `t.<area>.notices.<code>`.
 */
export interface Notice {
  kind: 'error' | 'info';
  area: 'registration' | 'account' | 'cardRenewal' | 'passkeys';
  code: string;
}

export function setNotice(session: Session, notice: Notice): void {
  session.set('notice', notice);
}

export function takeNotice(session: Session): Notice | undefined {
  const n = session.get<Notice>('notice');
  if (n) session.set('notice', undefined);
  return n;
}

export function noticeText(t: Catalog, n: Notice): string | undefined {
  const area = t[n.area] as { notices?: Record<string, unknown> };
  const text = area.notices?.[n.code];
  return typeof text === 'string' ? text : undefined;
}

/** A failed card step: its message is followed by a link to the Startup Guide. */
export function noticeNeedsGuide(n: Notice): boolean {
  return n.area === 'registration' && isCardStepError(n.code);
}
