import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountDeps } from '../../../flows/account/deps.ts';
import { readForm } from '../../../flows/account/forms.ts';
import type { RequestInfo } from '../../../flows/account/password.ts';
import { setNotice } from '../../../flows/session-data.ts';
import { isLang } from '../../../i18n/index.ts';
import { type AccountUser, findAccountUser } from '../../../store/accounts.ts';
import { writeAudit } from '../../../store/audit.ts';
import { clientAddress } from '../../client-address.ts';
import { readingsChoice } from '../../i18n.ts';
import { IdleTimeoutPage } from '../../views/account/signin.tsx';
import { sendPage } from '../../views/render.ts';

/** The posted form, read by the account form object (flows/account/forms.ts). */
export const formOf = (request: FastifyRequest): Record<string, string> => readForm(request.body);

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
  setNotice(request.session, { kind: 'info', area: 'account', code: 'signInRequired' });
  reply.redirect('/signin', 303);
  return undefined;
}
