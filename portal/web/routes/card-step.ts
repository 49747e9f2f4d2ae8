// The card step's routes: each turns an outcome of portal/flows/card-step.ts into a redirect,
// and a failure into a notice in the words of what the user was doing (portal/i18n/*/card-step.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CardPurpose, cardCallback, cardContinue, startCardStep } from '../../flows/card-step.ts';
import type { PortalDeps } from '../../flows/deps.ts';
import { setNotice } from '../../flows/session-data.ts';
import type { TrustStore } from '../../identity/trust.ts';
import { cardStepFailures } from '../../metrics.ts';

/** Starts a card step for `purpose` (every caller is a POST whose form token proved the session). */
export async function startCard(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  purpose: CardPurpose,
): Promise<FastifyReply> {
  // The browser session must exist before the browser comes back: only a caller without a form
  // token (none today) would need it written here.
  if (request.session.isNew) {
    request.session.set('cardStepStartedAt', deps.now().toISOString());
    await request.saveSession();
  }
  const target = await startCardStep(deps, {
    browserSessionId: request.session.id,
    purpose,
    lang: request.lang,
  });
  return reply.redirect(target, 303);
}

export async function cardStepRoutes(app: FastifyInstance, deps: PortalDeps, trust: TrustStore) {
  app.post(
    '/card/callback',
    // Cross-site by design (the client's auto-submitted form): bound by the single-use nonce instead.
    { config: { csrf: false, rateLimit: { max: 60, timeWindow: 60_000 } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      return reply.redirect(await cardCallback(deps, trust, body, request.log, request.id), 303);
    },
  );

  app.get('/card/continue', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const browser = { sessionId: request.session.id, requestId: request.id };
    const outcome = await cardContinue(deps, query, browser);
    if (outcome.ok) request.session.set('cardVerified', outcome.card);
    else {
      cardStepFailures.inc({ code: outcome.code });
      setNotice(request.session, {
        kind: 'error',
        area: 'cardStep',
        purpose: outcome.purpose,
        code: outcome.code,
      });
    }
    return reply.redirect(outcome.next, 303);
  });
}
