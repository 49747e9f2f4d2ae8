// Setting a password with the emailed link; asking for a new link (forgotten password).
import type { FastifyInstance } from 'fastify';
import type { PasswordError } from '../../../domain/password.ts';
import { forbiddenPreCheck } from '../../../flows/account/forms.ts';
import { resolveLink } from '../../../flows/account/links.ts';
import {
  type PasswordErrors,
  passwordLinkUser,
  setPasswordWithLink,
} from '../../../flows/account/password.ts';
import { requestPasswordLink } from '../../../flows/account/recovery.ts';
import { LINK_COOLDOWN_MS } from '../../../flows/account/throttle.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { setNotice } from '../../../flows/session-data.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { formatJst } from '../../../mail/format.ts';
import { pageNotice } from '../../notice.ts';
import {
  ForgotPage,
  ForgotSentPage,
  LinkProblemPage,
  type NewPasswordErrors,
  SetPasswordPage,
} from '../../views/account/password.tsx';
import { sendPage } from '../../views/render.ts';
import { formOf, requestInfo, switchedLang } from './support.ts';

/** The message for the current-password field (My page): missing, wrong, or locked until a time. */
export function currentPasswordText(
  t: Catalog,
  error: 'required' | 'wrong' | 'locked' | undefined,
  lockedUntil: Date | undefined,
): string | undefined {
  const e = t.account.errors;
  if (error === 'locked' && lockedUntil) return e.reauthLocked(formatJst(lockedUntil, t.lang));
  if (error === 'required') return e.passwordRequired;
  return error ? e.currentPasswordWrong : undefined;
}

export function passwordErrorTexts(
  t: Catalog,
  errors: PasswordErrors,
  lockedUntil?: Date,
): NewPasswordErrors {
  const e = t.account.errors;
  const text = (code: PasswordError | 'sameAsCurrent' | undefined) => (code ? e.password[code] : undefined);
  return {
    current: currentPasswordText(t, errors.current, lockedUntil),
    password: text(errors.password),
    confirm: text(errors.confirm),
  };
}

const LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export async function passwordRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const hours = deps.config.passwordLinkHours;

  // The emailed link. The token moves into the session at once, so it leaves the address bar
  // and history; opening the link changes nothing (mail scanners that follow links are harmless).
  app.get<{ Querystring: { token?: string } }>('/password/set', async (request, reply) => {
    const { token } = request.query;
    if (token !== undefined) {
      const state = await resolveLink(deps.db, token, 'password', deps.now());
      request.session.set('passwordLinkId', state.state === 'valid' ? state.link.id : undefined);
      request.session.set('passwordLinkProblem', state.state === 'valid' ? undefined : state.state);
      return reply.redirect('/password/set', 303);
    }
    const target = await passwordLinkUser(deps, request.session.get('passwordLinkId'));
    const t = request.t;
    const csrf = request.session.csrfToken;
    if (!target.ok) {
      const problem = request.session.get('passwordLinkProblem') ?? target.problem;
      return sendPage(reply, LinkProblemPage({ t, path: request.url, csrf, problem, hours }));
    }
    return sendPage(reply, SetPasswordPage({ t, path: request.url, csrf, userId: target.user.id }));
  });

  app.post('/password/set', { config: LIMIT }, async (request, reply) => {
    const form = formOf(request);
    const linkId = request.session.get('passwordLinkId');
    if (switchedLang(request, form)) return reply.redirect('/password/set', 303);
    const result = await setPasswordWithLink(
      deps,
      linkId,
      form.password ?? '',
      form.confirm ?? '',
      requestInfo(request),
    );
    const t = request.t;
    const csrf = request.session.csrfToken;
    if (result.ok) {
      request.session.set('passwordLinkId', undefined);
      setNotice(request.session, { kind: 'info', area: 'account', code: 'passwordSet' });
      return reply.redirect('/signin', 303);
    }
    if ('problem' in result) {
      request.session.set('passwordLinkId', undefined);
      return sendPage(
        reply,
        LinkProblemPage({ t, path: request.url, csrf, problem: result.problem, hours }),
        410,
      );
    }
    const target = await passwordLinkUser(deps, linkId);
    return sendPage(
      reply,
      SetPasswordPage({
        t,
        path: request.url,
        csrf,
        userId: target.ok ? target.user.id : '',
        errors: passwordErrorTexts(t, result.errors),
      }),
      422,
    );
  });

  app.get('/password/forgot', async (request, reply) =>
    sendPage(
      reply,
      ForgotPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        notice: pageNotice(request, deps.config),
      }),
    ),
  );

  app.post('/password/forgot', { config: LIMIT }, async (request, reply) => {
    const form = formOf(request);
    const values = { userId: form.userId ?? '', email: form.email ?? '' };
    const t = request.t;
    if (switchedLang(request, form)) {
      return sendPage(
        reply,
        ForgotPage({ t: request.t, path: request.url, csrf: request.session.csrfToken, values }),
      );
    }
    // Characters no field accepts: said at the field, before anything is looked up or counted.
    const pre = forbiddenPreCheck(values, ['userId', 'email']);
    if (pre) {
      const e = t.account.errors;
      const errors = {
        userId: pre.userId
          ? e.userIdInvalidCharacters
          : values.userId.trim() === ''
            ? e.userIdRequired
            : undefined,
        email: pre.email ? e.emailInvalidCharacters : undefined,
      };
      const csrf = request.session.csrfToken;
      return sendPage(reply, ForgotPage({ t, path: request.url, csrf, values, errors }), 422);
    }
    const result = await requestPasswordLink(deps, values, requestInfo(request));
    if (result.ok)
      return sendPage(
        reply,
        ForgotSentPage({ t, path: request.url, hours, cooldownMinutes: LINK_COOLDOWN_MS / 60_000 }),
      );
    const csrf = request.session.csrfToken;
    if ('reason' in result) {
      const notice = {
        kind: 'error' as const,
        text: t.account.errors.lockedAddress(formatJst(result.until, t.lang)),
      };
      return sendPage(reply, ForgotPage({ t, path: request.url, csrf, values, notice }), 429);
    }
    const e = t.account.errors;
    const errors = {
      userId: result.errors.userId ? e.userIdRequired : undefined,
      email:
        result.errors.email === 'required'
          ? e.emailRequired
          : result.errors.email
            ? e.emailInvalid
            : undefined,
    };
    return sendPage(reply, ForgotPage({ t, path: request.url, csrf, values, errors }), 422);
  });
}
