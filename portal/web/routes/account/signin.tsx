// Sign-in with User ID and password, sign-out.
import type { FastifyInstance } from 'fastify';
import { type PreCheck, signInPreCheck } from '../../../flows/account/forms.ts';
import { signInWithPassword } from '../../../flows/account/signin.ts';
import { SIGNIN_USER } from '../../../flows/account/throttle.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { LINK_KEYS, setNotice } from '../../../flows/session-data.ts';
import { formatJst } from '../../../mail/format.ts';
import { writeAudit } from '../../../store/audit.ts';
import { pageNotice } from '../../notice.ts';
import { PasswordExpiredPage, SignInPage } from '../../views/account/signin.tsx';
import { sendPage } from '../../views/render.ts';
import { formOf, requestInfo, switchedLang } from './support.ts';

const LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export async function signinRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  app.get('/signin', async (request, reply) => {
    if (request.session.userId) return reply.redirect('/mypage', 303);
    return sendPage(
      reply,
      SignInPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        notice: pageNotice(request, deps.config),
      }),
    );
  });

  app.post('/signin', { config: LIMIT }, async (request, reply) => {
    const form = formOf(request);
    const userId = form.userId ?? '';
    const page = (props: Partial<Parameters<typeof SignInPage>[0]>, status = 200) =>
      sendPage(
        reply,
        SignInPage({ t: request.t, path: request.url, csrf: request.session.csrfToken, userId, ...props }),
        status,
      );
    if (switchedLang(request, form)) return page({});
    const t = request.t;
    const e = t.account.errors;
    const password = form.password ?? '';
    const pre = signInPreCheck(form);
    if (pre) {
      const userIdText = { required: e.userIdRequired, invalidCharacters: e.userIdInvalidCharacters };
      const passwordText = { required: e.passwordRequired, invalidCharacters: e.password.invalidCharacters };
      const at = <K extends PreCheck>(texts: Record<K, string>, code: K | undefined) => code && texts[code];
      return page(
        { errors: { userId: at(userIdText, pre.userId), password: at(passwordText, pre.password) } },
        422,
      );
    }
    const result = await signInWithPassword(deps, { userId, password }, requestInfo(request));
    if (result.ok) {
      for (const key of LINK_KEYS) request.session.set(key, undefined);
      await request.rotateSession(result.userId);
      return reply.redirect('/mypage', 303);
    }
    switch (result.reason) {
      case 'invalid':
        return page(
          { notice: { kind: 'error', text: e.signinInvalid(SIGNIN_USER.max, SIGNIN_USER.lockMs / 60_000) } },
          401,
        );
      case 'lockedUser':
        return page({ notice: { kind: 'error', text: e.lockedUser(formatJst(result.until, t.lang)) } }, 429);
      case 'lockedAddress':
        return page(
          { notice: { kind: 'error', text: e.lockedAddress(formatJst(result.until, t.lang)) } },
          429,
        );
      case 'expired':
        return sendPage(
          reply,
          PasswordExpiredPage({
            t,
            path: request.url,
            expiredAt: formatJst(result.expiredAt, t.lang),
            linkSent: result.linkSent,
          }),
        );
    }
  });

  app.post('/signout', async (request, reply) => {
    const userId = request.session.userId;
    if (userId) await writeAudit(deps.db, { event: 'signout', userId, ...requestInfo(request) });
    await request.destroySession();
    setNotice(request.session, { kind: 'info', area: 'account', code: 'signedOut' });
    return reply.redirect('/signin', 303);
  });
}
