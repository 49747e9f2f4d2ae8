// "Use a new Individual Number card" on My page (docs/decisions/0702-card-renewal.md): the current
// password, then the card step (authenticate mode) reads the new card, then the link moves to it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renewCard } from '../../../flows/account/card-renewal.ts';
import { CARD_RESULT_MAX_AGE_MS } from '../../../flows/account/card-signin.ts';
import { checkCurrentPassword } from '../../../flows/account/reauth.ts';
import { redeemCardResult } from '../../../flows/card-step.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { setNotice } from '../../../flows/session-data.ts';
import type { AccountUser } from '../../../store/accounts.ts';
import { cardHistory } from '../../../store/card-renewal.ts';
import { pageNotice } from '../../notice.ts';
import { RenewCardPage } from '../../views/account/card-renewal.tsx';
import { sendPage } from '../../views/render.ts';
import { startCard } from '../card-step.ts';
import { currentPasswordText } from './password.tsx';
import { formOf, requestInfo, signedInUser, switchedLang } from './support.ts';

const LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };

export async function cardRenewalRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    user: AccountUser,
    error?: string,
    status = 200,
  ): Promise<FastifyReply> {
    return sendPage(
      reply,
      RenewCardPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        history: await cardHistory(deps.db, user.id),
        notice: pageNotice(request, deps.config),
        ...(error ? { error } : {}),
      }),
      status,
    );
  }

  app.get('/mypage/card', async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    return page(request, reply, user);
  });

  app.post('/mypage/card', { config: LIMIT }, async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    const form = formOf(request);
    if (switchedLang(request, form)) return page(request, reply, user);
    const check = await checkCurrentPassword(deps, user, form.current ?? '', requestInfo(request), 'card');
    if (!check.ok) {
      const text = currentPasswordText(
        request.t,
        check.error,
        check.error === 'locked' ? check.until : undefined,
      );
      return page(request, reply, user, text, check.error === 'locked' ? 429 : 422);
    }
    return startCard(deps, request, reply, 'renew-card');
  });

  app.get('/mypage/card/complete', async (request, reply) => {
    const user = await signedInUser(deps, request, reply);
    if (!user) return reply;
    const redeemed = await redeemCardResult(deps, request.session, 'renew-card', CARD_RESULT_MAX_AGE_MS);
    const result = await renewCard(
      deps,
      user.id,
      redeemed?.ok ? redeemed.card : undefined,
      requestInfo(request),
    );
    if (result.ok) {
      setNotice(request.session, { kind: 'info', area: 'cardRenewal', code: 'renewed' });
      return reply.redirect('/mypage', 303);
    }
    setNotice(request.session, { kind: 'error', area: 'cardRenewal', code: result.reason });
    return reply.redirect('/mypage/card', 303);
  });
}
