// Sign-in with User ID and password, sign-out.
import type { FastifyInstance } from 'fastify';
import { type PreCheck, signInPreCheck } from '../../../flows/account/forms.ts';
import { signInWithPassword } from '../../../flows/account/signin.ts';
import { SIGNIN_USER } from '../../../flows/account/throttle.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { SIGNIN_RESET_KEYS, setNotice } from '../../../flows/session-data.ts';
import type { Catalog } from '../../../i18n/index.ts';
import { formatJst } from '../../../mail/format.ts';
import { writeAudit } from '../../../store/audit.ts';
import { pageNotice } from '../../notice.ts';
import { PasswordExpiredPage, SignInPage } from '../../views/account/signin.tsx';
import { sendPage } from '../../views/render.ts';
import { formOf, requestInfo, switchedLang } from './support.ts';

const LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };

type SignInProps = Parameters<typeof SignInPage>[0];

/** The field messages of sign-in's pre-check (flows/account/forms.ts). */
function preCheckTexts(t: Catalog, pre: Partial<Record<'userId' | 'password', PreCheck>>) {
  const e = t.account.errors;
  const userId = { required: e.userIdRequired, invalidCharacters: e.userIdInvalidCharacters };
  const password = { required: e.passwordRequired, invalidCharacters: e.password.invalidCharacters };
  return { userId: pre.userId && userId[pre.userId], password: pre.password && password[pre.password] };
}

/** Why a sign-in was refused, with the lock's figures from flows/account/throttle.ts. */
function refusalText(
  t: Catalog,
  r: { reason: 'invalid' } | { reason: 'lockedUser' | 'lockedAddress'; until: Date },
) {
  const e = t.account.errors;
  if (r.reason === 'invalid') return e.signinInvalid(SIGNIN_USER.max, SIGNIN_USER.lockMs / 60_000);
  return (r.reason === 'lockedUser' ? e.lockedUser : e.lockedAddress)(formatJst(r.until, t.lang));
}

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
    const page = (props: Partial<SignInProps>, status = 200) =>
      sendPage(
        reply,
        SignInPage({
          t: request.t,
          path: request.url,
          csrf: request.session.csrfToken,
          userId: form.userId ?? '',
          ...props,
        }),
        status,
      );
    if (switchedLang(request, form)) return page({});
    const t = request.t;
    const pre = signInPreCheck(form);
    if (pre) return page({ errors: preCheckTexts(t, pre) }, 422);
    const result = await signInWithPassword(
      deps,
      { userId: form.userId ?? '', password: form.password ?? '' },
      requestInfo(request),
    );
    if (!result.ok && result.reason === 'expired') {
      const expiredAt = formatJst(result.expiredAt, t.lang);
      return sendPage(
        reply,
        PasswordExpiredPage({ t, path: request.url, expiredAt, linkSent: result.linkSent }),
      );
    }
    if (!result.ok)
      return page(
        { notice: { kind: 'error', text: refusalText(t, result) } },
        result.reason === 'invalid' ? 401 : 429,
      );
    for (const key of SIGNIN_RESET_KEYS) request.session.set(key, undefined);
    await request.rotateSession(result.userId);
    return reply.redirect('/mypage', 303);
  });

  app.post('/signout', async (request, reply) => {
    const userId = request.session.userId;
    if (userId) await writeAudit(deps.db, { event: 'signout', userId, ...requestInfo(request) });
    await request.destroySession();
    setNotice(request.session, { kind: 'info', area: 'account', code: 'signedOut' });
    return reply.redirect('/signin', 303);
  });
}
