import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasForbiddenCharacters, markForbiddenCharacters } from '../../../domain/normalize.ts';
import type { AccountDeps } from '../../../flows/account/deps.ts';
import type { RequestInfo } from '../../../flows/account/password.ts';
import { isLang } from '../../../i18n/index.ts';
import { type AccountUser, findAccountUser } from '../../../store/accounts.ts';
import { writeAudit } from '../../../store/audit.ts';
import { clientAddress } from '../../client-address.ts';
import { readingsChoice } from '../../i18n.ts';
import { noticeNeedsGuide, noticeText, takeNotice } from '../../notice.ts';
import type { PageNotice } from '../../views/account/parts.tsx';
import { IdleTimeoutPage } from '../../views/account/signin.tsx';
import { sendPage } from '../../views/render.ts';

/**
 * Form fields as strings (anything else, such as a repeated field, reads as empty). Characters
 * no field accepts (domain/normalize.ts) are replaced by U+FFFD: an entry shown again shows
 * where they were, and such an entry is refused (see textProblems).
 */
export function formOf(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = markForbiddenCharacters(v);
  return out;
}

/**
 * The named fields holding characters no field accepts: each gets its field message before
 * anything is looked up or counted (such text is no User ID, address or password).
 */
export function textProblems<K extends string>(form: Record<string, string>, names: readonly K[]): Set<K> {
  return new Set(names.filter((n) => hasForbiddenCharacters(form[n] ?? '')));
}

/** The language switch on a form page submits the form with `_lang`: re-render, keep entries. */
export function switchedLang(request: FastifyRequest, form: Record<string, string>): boolean {
  const readings = readingsChoice(form._furigana);
  if (readings !== undefined) {
    request.setReadings(readings);
    return true;
  }
  if (!isLang(form._lang)) return false;
  request.setLang(form._lang);
  return true;
}

/** The request as the flows see it: `ip` is the address key the throttles and the audit log use. */
export function requestInfo(request: FastifyRequest): RequestInfo {
  return { ip: clientAddress(request), requestId: request.id };
}

export function pageNotice(request: FastifyRequest): PageNotice | undefined {
  const n = takeNotice(request.session);
  const text = n && noticeText(request.t, n);
  return n && text ? { kind: n.kind, text, guide: noticeNeedsGuide(n) } : undefined;
}

/** Session keys of the account area. */
export const SESSION = {
  passwordLinkId: 'passwordLinkId',
  passwordLinkProblem: 'passwordLinkProblem',
  emailLinkId: 'emailLinkId',
} as const;

/**
 * The signed-in user, or undefined after answering: the idle-timeout page when the browser's
 * session ran out, otherwise a redirect to sign-in.
 */
export async function signedInUser(
  deps: AccountDeps & { config: { sessionIdleMinutes: number; sessionAbsoluteHours: number } },
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<AccountUser | undefined> {
  const userId = request.session.userId;
  const user = userId ? await findAccountUser(deps.db, userId) : undefined;
  if (user) return user;
  // ASVS 7.2.2: every refusal is an audit event (the path without its query, never a token).
  await writeAudit(deps.db, {
    event: 'access.denied',
    userId: userId ?? null,
    ...requestInfo(request),
    detail: {
      path: request.url.split('?')[0],
      reason: request.sessionLifetimeEnded ? 'lifetime' : request.sessionExpired ? 'expired' : 'signedOut',
    },
  });
  if (request.sessionExpired) {
    sendPage(
      reply,
      IdleTimeoutPage({
        t: request.t,
        path: request.url,
        minutes: deps.config.sessionIdleMinutes,
        lifetimeHours: request.sessionLifetimeEnded ? deps.config.sessionAbsoluteHours : undefined,
      }),
      401,
    );
    return undefined;
  }
  if (userId) await request.destroySession();
  request.session.set('notice', { kind: 'info', area: 'account', code: 'signInRequired' });
  reply.redirect('/signin', 303);
  return undefined;
}
