// Forgotten User ID: the page that starts the card step.
import type { FastifyInstance } from 'fastify';
import type { PortalDeps } from '../../../flows/deps.ts';
import { pageNotice } from '../../notice.ts';
import { RecoverUserIdPage } from '../../views/account/recovery.tsx';
import { sendPage } from '../../views/render.ts';

export async function recoveryRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  app.get('/recover-user-id', async (request, reply) =>
    sendPage(
      reply,
      RecoverUserIdPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        notice: pageNotice(request, deps.config),
      }),
    ),
  );
}
