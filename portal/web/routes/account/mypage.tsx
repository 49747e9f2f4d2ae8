// My page: registered information, change of email address (confirmed by link) and password.

import type { FastifyInstance } from 'fastify';
import { hiragana, ruby } from '../../../../design/readings.ts';
import { confirmEmailChange, pendingEmailChange, requestEmailChange } from '../../../flows/account/email.ts';
import { forbiddenPreCheck } from '../../../flows/account/forms.ts';
import { resolveLink } from '../../../flows/account/links.ts';
import { changePassword } from '../../../flows/account/password.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { setNotice } from '../../../flows/session-data.ts';
import { placeNames } from '../../../store/accounts.ts';
import { writeAudit } from '../../../store/audit.ts';
import { pageNotice } from '../../notice.ts';
import { ChangeEmailPage, ConfirmEmailPage, MyPage } from '../../views/account/mypage.tsx';
import { ChangePasswordPage } from '../../views/account/password.tsx';
import { MessagePage } from '../../views/pages.tsx';
import { sendPage } from '../../views/render.ts';
import { currentPasswordText, passwordErrorTexts } from './password.tsx';
import { formOf, requestInfo, signedInUser, switchedLang } from './support.ts';

const LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };

export async function myPageRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  app.get('/mypage', async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    // ASVS 8.3.5: showing the registered personal data is audited (who and when, not what).
    await writeAudit(deps.db, { event: 'mypage.viewed', userId: user.id, ...requestInfo(request) });
    const names = await placeNames(deps.db, user.prefectureCode, user.municipalityCode).catch(
      () => undefined,
    );
    const place = !names
      ? `${user.prefectureCode} ${user.municipalityCode}`
      : request.lang === 'ja-easy'
        ? names.readings.map(([name, kana]) => (kana ? ruby(name, hiragana(kana)) : name)).join('')
        : names[request.lang];
    const address =
      request.lang === 'en' ? `${user.streetAddress}, ${place}` : `${place} ${user.streetAddress}`;
    return sendPage(
      reply,
      MyPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        user,
        address,
        notice: pageNotice(request, deps.config),
      }),
    );
  });

  app.get('/mypage/email', async (request, reply) => {
    if (!(await signedInUser(deps, request, reply))) return reply;
    return sendPage(
      reply,
      ChangeEmailPage({ t: request.t, path: request.url, csrf: request.session.csrfToken }),
    );
  });

  app.post('/mypage/email', { config: LIMIT }, async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    const form = formOf(request);
    const values = { email: form.email ?? '', confirm: form.confirm ?? '' };
    const page = (errors = {}, status = 200) =>
      sendPage(
        reply,
        ChangeEmailPage({ t: request.t, path: request.url, csrf: request.session.csrfToken, values, errors }),
        status,
      );
    if (switchedLang(request, form)) return page();
    // Characters no field accepts: said at the field, before the password is checked or counted.
    const pre = forbiddenPreCheck(form, ['email', 'confirm', 'current']);
    if (pre) {
      const e = request.t.account.errors;
      const text = (f: 'email' | 'confirm') => (pre[f] ? e.emailInvalidCharacters : undefined);
      const current = pre.current ? e.password.invalidCharacters : undefined;
      return page({ email: text('email'), confirm: text('confirm'), current }, 422);
    }
    const result = await requestEmailChange(
      deps,
      user.id,
      { current: form.current ?? '', ...values },
      requestInfo(request),
    );
    if (result.ok) {
      setNotice(request.session, { kind: 'info', area: 'account', code: 'emailChangeSent' });
      return reply.redirect('/mypage', 303);
    }
    const e = request.t.account.errors;
    const r = result.errors;
    return page(
      {
        email:
          r.email === 'required'
            ? e.emailRequired
            : r.email === 'same'
              ? e.emailSame
              : r.email
                ? e.emailInvalid
                : undefined,
        confirm: r.confirm === 'required' ? e.emailRequired : r.confirm ? e.emailMismatch : undefined,
        current: currentPasswordText(request.t, r.current, result.lockedUntil),
      },
      result.lockedUntil ? 429 : 422,
    );
  });

  app.get('/mypage/password', async (request, reply) => {
    if (!(await signedInUser(deps, request, reply))) return reply;
    return sendPage(
      reply,
      ChangePasswordPage({ t: request.t, path: request.url, csrf: request.session.csrfToken }),
    );
  });

  app.post('/mypage/password', { config: LIMIT }, async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    const form = formOf(request);
    if (switchedLang(request, form)) {
      return sendPage(
        reply,
        ChangePasswordPage({ t: request.t, path: request.url, csrf: request.session.csrfToken }),
      );
    }
    // Characters no field accepts: said at the field, before the password is checked or counted.
    const pre = forbiddenPreCheck(form, ['current', 'password', 'confirm']);
    if (pre) {
      const text = (f: 'current' | 'password' | 'confirm') =>
        pre[f] ? request.t.account.errors.password.invalidCharacters : undefined;
      const errors = { current: text('current'), password: text('password'), confirm: text('confirm') };
      return sendPage(
        reply,
        ChangePasswordPage({ t: request.t, path: request.url, csrf: request.session.csrfToken, errors }),
        422,
      );
    }
    const result = await changePassword(
      deps,
      user.id,
      { current: form.current ?? '', password: form.password ?? '', confirm: form.confirm ?? '' },
      { ...requestInfo(request), sessionId: request.session.id },
    );
    if (result.ok) {
      await request.rotateSession(user.id);
      setNotice(request.session, { kind: 'info', area: 'account', code: 'passwordChanged' });
      return reply.redirect('/mypage', 303);
    }
    return sendPage(
      reply,
      ChangePasswordPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        errors: passwordErrorTexts(request.t, result.errors, result.lockedUntil),
      }),
      result.lockedUntil ? 429 : 422,
    );
  });

  // The confirmation link sent to the new address: GET shows a button, POST changes the address.
  app.get<{ Querystring: { token?: string } }>('/email/confirm', async (request, reply) => {
    const { token } = request.query;
    if (token !== undefined) {
      const state = await resolveLink(deps.db, token, 'email', deps.now());
      request.session.set('emailLinkId', state.state === 'valid' ? state.link.id : undefined);
      return reply.redirect('/email/confirm', 303);
    }
    const t = request.t;
    const pending = await pendingEmailChange(deps, request.session.get('emailLinkId'));
    if (!pending) {
      const c = t.account.confirmEmail;
      return sendPage(
        reply,
        MessagePage({ t, path: request.url, title: c.invalidTitle, text: c.invalidText }),
        410,
      );
    }
    return sendPage(
      reply,
      ConfirmEmailPage({ t, path: request.url, csrf: request.session.csrfToken, email: pending.newEmail }),
    );
  });

  app.post('/email/confirm', async (request, reply) => {
    const result = await confirmEmailChange(deps, request.session.get('emailLinkId'), requestInfo(request));
    request.session.set('emailLinkId', undefined);
    const t = request.t;
    if (!result.ok) {
      const c = t.account.confirmEmail;
      return sendPage(
        reply,
        MessagePage({ t, path: request.url, title: c.invalidTitle, text: c.invalidText }),
        410,
      );
    }
    setNotice(request.session, { kind: 'info', area: 'account', code: 'emailChanged' });
    return reply.redirect(request.session.userId === result.userId ? '/mypage' : '/signin', 303);
  });
}
