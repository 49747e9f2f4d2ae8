import type { FastifyInstance } from 'fastify';
import { noticeText, takeNotice } from '../notice.ts';
import { HomePage, PreparePage, SourcesPage, TermsPage } from '../views/pages.tsx';
import { sendPage } from '../views/render.ts';

/** Pages anyone can read: top page, items to prepare, terms of use, sources. */
export async function publicRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    // A flow that sends the browser back to the top page with a message leaves its code here.
    const n = takeNotice(request.session);
    const text = n && noticeText(request.t, n);
    const notice = n && text ? { kind: n.kind, text } : undefined;
    return sendPage(
      reply,
      HomePage({ t: request.t, path: request.url, csrf: request.session.csrfToken, notice }),
    );
  });
  app.get('/prepare', async (request, reply) =>
    sendPage(reply, PreparePage({ t: request.t, path: request.url })),
  );
  app.get('/terms', async (request, reply) =>
    sendPage(reply, TermsPage({ t: request.t, path: request.url })),
  );
  app.get('/sources', async (request, reply) =>
    sendPage(reply, SourcesPage({ t: request.t, path: request.url })),
  );
}
