// Passkeys (docs/decisions/1101-passkeys-second-way-to-sign-in.md): sign-in with a passkey, and
// the manage page on My page (list, rename, add and remove after a fresh proof). The WebAuthn
// ceremonies are posted by passkeys.js as forms (the portal parses no other bodies, ASVS 13.1.5)
// with the form token like any form; the browser's answer travels as JSON text in `response`,
// and these routes answer in JSON.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { plainText } from '../../../../design/readings.ts';
import {
  addPasskey,
  isFreshProof,
  PASSKEYS_PER_USER_MAX,
  registrationOptions,
  removeUserPasskey,
  renameUserPasskey,
  signInOptions,
  signInWithPasskey,
} from '../../../flows/account/passkeys.ts';
import { checkCurrentPassword } from '../../../flows/account/reauth.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { markFreshProof, SIGNIN_RESET_KEYS, setNotice } from '../../../flows/session-data.ts';
import { type AccountUser, findAccountUser } from '../../../store/accounts.ts';
import { listPasskeys } from '../../../store/passkeys.ts';
import { pageNotice } from '../../notice.ts';
import { PasskeysPage, type PasskeysPageProps } from '../../views/account/passkeys.tsx';
import { sendPage } from '../../views/render.ts';
import { currentPasswordText } from './password.tsx';
import { formOf, requestInfo, signedInUser } from './support.ts';

const LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };
const SIGNIN_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export async function passkeyRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const fresh = (request: FastifyRequest) => isFreshProof(request.session.get('proofAt'), deps.now());
  // The script writes `error` as text: Easy Japanese readings become the plain base there.
  const json = (reply: FastifyReply, status: number, body: Record<string, unknown>) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .send(typeof body.error === 'string' ? { ...body, error: plainText(body.error) } : body);
  /** The browser's answer, posted as JSON text in the form field `response`. */
  const answer = (request: FastifyRequest): unknown => {
    const raw = ((request.body ?? {}) as Record<string, unknown>).response;
    if (typeof raw !== 'string' || raw.length > 16_384) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  };

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    user: AccountUser,
    extra: Partial<PasskeysPageProps> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const passkeys = await listPasskeys(deps.db, user.id);
    return sendPage(
      reply,
      PasskeysPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        passkeys,
        fresh: fresh(request),
        maxPasskeys: PASSKEYS_PER_USER_MAX,
        notice: pageNotice(request, deps.config),
        ...extra,
      }),
      status,
    );
  }

  // --- Sign-in (anonymous session) ---------------------------------------------------------

  app.post('/signin/passkey/options', { config: SIGNIN_LIMIT }, async (request, reply) => {
    return json(reply, 200, await signInOptions(deps, request.session.id));
  });

  app.post('/signin/passkey', { config: SIGNIN_LIMIT }, async (request, reply) => {
    const result = await signInWithPasskey(deps, request.session.id, answer(request), requestInfo(request));
    if (!result.ok) {
      const e = request.t.passkeys.signin.errors;
      const text =
        result.reason === 'unknown' || result.reason === 'userMismatch'
          ? e.unknown
          : result.reason === 'expired'
            ? e.expired
            : result.reason === 'cloned'
              ? e.cloned
              : e.failed;
      return json(reply, result.reason === 'cloned' ? 403 : 401, { error: text });
    }
    for (const key of SIGNIN_RESET_KEYS) request.session.set(key, undefined);
    await request.rotateSession(result.userId);
    return json(reply, 200, { redirect: '/mypage' });
  });

  // --- Manage (My page) ----------------------------------------------------------------------

  app.get('/mypage/passkeys', async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    return page(request, reply, user);
  });

  app.post('/mypage/passkeys/confirm', { config: LIMIT }, async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    const form = formOf(request);
    const check = await checkCurrentPassword(deps, user, form.current ?? '', requestInfo(request), 'passkey');
    if (!check.ok) {
      const until = check.error === 'locked' ? check.until : undefined;
      const proofError = currentPasswordText(request.t, check.error, until);
      return page(request, reply, user, { proofError }, check.error === 'locked' ? 429 : 422);
    }
    markFreshProof(request.session, deps.now());
    setNotice(request.session, { kind: 'info', area: 'passkeys', code: 'confirmed' });
    return reply.redirect('/mypage/passkeys', 303);
  });

  /** JSON requests of a signed-in user: undefined after answering 401. */
  async function jsonUser(request: FastifyRequest, reply: FastifyReply): Promise<AccountUser | undefined> {
    const userId = request.session.userId;
    const user = userId ? await findAccountUser(deps.db, userId) : undefined;
    if (!user) json(reply, 401, { error: request.t.account.notices.signInRequired });
    return user;
  }

  app.post('/mypage/passkeys/options', { config: LIMIT }, async (request, reply) => {
    const user = await jsonUser(request, reply);
    if (!user) return reply;
    if (!fresh(request)) return json(reply, 403, { error: request.t.passkeys.page.errors.proof });
    return json(reply, 200, await registrationOptions(deps, user, request.session.id));
  });

  app.post('/mypage/passkeys', { config: LIMIT }, async (request, reply) => {
    const user = await jsonUser(request, reply);
    if (!user) return reply;
    const e = request.t.passkeys.page.errors;
    if (!fresh(request)) return json(reply, 403, { error: e.proof });
    const result = await addPasskey(
      deps,
      user.id,
      request.session.id,
      { response: answer(request), name: formOf(request).name ?? '' },
      requestInfo(request),
    );
    if (result.ok) {
      setNotice(request.session, { kind: 'info', area: 'passkeys', code: 'added' });
      return json(reply, 200, { redirect: '/mypage/passkeys' });
    }
    const text =
      result.reason === 'name'
        ? e.name
        : result.reason === 'taken'
          ? e.taken
          : result.reason === 'expired'
            ? e.expired
            : result.reason === 'tooMany'
              ? request.t.passkeys.page.tooMany(PASSKEYS_PER_USER_MAX)
              : e.failed;
    return json(reply, result.reason === 'name' ? 422 : 409, { error: text });
  });

  app.post('/mypage/passkeys/rename', { config: LIMIT }, async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    const form = formOf(request);
    const credentialId = form.id ?? '';
    const result = await renameUserPasskey(
      deps,
      user.id,
      credentialId,
      form.name ?? '',
      requestInfo(request),
    );
    if (result.ok) {
      setNotice(request.session, { kind: 'info', area: 'passkeys', code: 'renamed' });
      return reply.redirect('/mypage/passkeys', 303);
    }
    if (result.reason === 'name') {
      const text = request.t.passkeys.page.errors.name;
      return page(request, reply, user, { renameError: { credentialId, text } }, 422);
    }
    setNotice(request.session, { kind: 'error', area: 'passkeys', code: 'notFound' });
    return reply.redirect('/mypage/passkeys', 303);
  });

  app.post('/mypage/passkeys/remove', { config: LIMIT }, async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    if (!fresh(request)) {
      setNotice(request.session, { kind: 'error', area: 'passkeys', code: 'proofNeeded' });
      return reply.redirect('/mypage/passkeys', 303);
    }
    const form = formOf(request);
    const result = await removeUserPasskey(deps, user.id, form.id ?? '', requestInfo(request));
    setNotice(request.session, {
      kind: result.ok ? 'info' : 'error',
      area: 'passkeys',
      code: result.ok ? 'removed' : 'notFound',
    });
    return reply.redirect('/mypage/passkeys', 303);
  });
}
