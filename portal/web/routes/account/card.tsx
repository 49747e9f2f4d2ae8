// Sign-in and User ID recovery with the card. The card step itself (user client software, token
// verification) belongs to portal/flows/card-step.ts; these routes start it and receive its result.
import type { FastifyInstance } from 'fastify';
import {
  CARD_RESULT_MAX_AGE_MS,
  userForCard,
  type VerifiedCard,
} from '../../../flows/account/card-signin.ts';
import { redeemCardResult } from '../../../flows/card-step.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import { markFreshProof, SIGNIN_RESET_KEYS, setNotice } from '../../../flows/session-data.ts';
import { RecoverUserIdResultPage } from '../../views/account/recovery.tsx';
import { sendPage } from '../../views/render.ts';
import { startCard } from '../card-step.ts';
import { requestInfo } from './support.ts';

const LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };

export async function cardRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  app.post('/signin/card', { config: LIMIT }, (request, reply) => startCard(deps, request, reply, 'signin'));
  app.post('/recover-user-id/card', { config: LIMIT }, (request, reply) =>
    startCard(deps, request, reply, 'recover-user-id'),
  );

  /**
   * Takes the card step's result out of the session, checked against its card session and
   * marked used there: once only, and only as the card step left it (CARD_RESULT_MAX_AGE_MS).
   */
  async function takeCard(
    session: Parameters<typeof redeemCardResult>[1],
    purpose: 'signin' | 'recover-user-id',
  ): Promise<VerifiedCard | undefined> {
    const redeemed = await redeemCardResult(deps, session, purpose, CARD_RESULT_MAX_AGE_MS);
    return redeemed?.ok ? redeemed.card : undefined;
  }

  app.get('/signin/card/complete', async (request, reply) => {
    const card = await takeCard(request.session, 'signin');
    const result = await userForCard(deps, card, 'signin', requestInfo(request));
    if (!result.ok) {
      const code = result.reason === 'stale' ? 'cardStale' : 'cardNotRegistered';
      setNotice(request.session, { kind: 'error', area: 'account', code });
      return reply.redirect('/signin', 303);
    }
    for (const key of SIGNIN_RESET_KEYS) request.session.set(key, undefined);
    await request.rotateSession(result.userId);
    // A card sign-in is a fresh proof: passkeys can be added or removed for a few minutes.
    markFreshProof(request.session, deps.now());
    return reply.redirect('/mypage', 303);
  });

  app.get('/recover-user-id/complete', async (request, reply) => {
    const result = await userForCard(
      deps,
      await takeCard(request.session, 'recover-user-id'),
      'recover-user-id',
      requestInfo(request),
    );
    if (!result.ok && result.reason === 'stale') {
      setNotice(request.session, { kind: 'error', area: 'account', code: 'cardStale' });
      return reply.redirect('/recover-user-id', 303);
    }
    return sendPage(
      reply,
      RecoverUserIdResultPage({
        t: request.t,
        path: request.url,
        userId: result.ok ? result.userId : undefined,
      }),
    );
  });
}
