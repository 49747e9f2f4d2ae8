import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { PortalDeps } from '../../flows/deps.ts';
import { clientDownloads, downloadPath } from '../client-downloads.ts';
import { pageNotice } from '../notice.ts';
import { ProxyNotificationPage, StartupGuidePage } from '../views/guides.tsx';
import { HomePage, PreparePage, SourcesPage, TermsPage } from '../views/pages.tsx';
import { sendPage } from '../views/render.ts';

/**
 * Pages anyone can read: top page, items to prepare, the Startup Guide with the user client
 * software to download, the proxy notification number guide, terms of use, sources.
 */
export async function publicRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const { config } = deps;
  app.get('/', async (request, reply) => {
    // A flow that sends the browser back to the top page with a message leaves its code here.
    const notice = pageNotice(request, config);
    return sendPage(
      reply,
      HomePage({ t: request.t, path: request.url, csrf: request.session.csrfToken, notice }),
    );
  });
  app.get('/prepare', async (request, reply) =>
    sendPage(reply, PreparePage({ t: request.t, path: request.url })),
  );
  app.get('/startup-guide', async (request, reply) =>
    sendPage(
      reply,
      StartupGuidePage({
        t: request.t,
        path: request.url,
        downloads: await clientDownloads(config.clientDownloadDir),
        publicOrigin: config.publicOrigin,
        clientOrigin: config.clientOrigin,
      }),
    ),
  );
  app.get('/proxy-notification-number', async (request, reply) =>
    sendPage(reply, ProxyNotificationPage({ t: request.t, path: request.url })),
  );
  app.get<{ Params: { file: string } }>(
    '/downloads/:file',
    { config: { session: false } },
    async (request, reply) => {
      const file = await downloadPath(config.clientDownloadDir, request.params.file);
      if (!file) return reply.callNotFound();
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${request.params.file}"`)
        .header('cache-control', 'no-cache')
        .send(createReadStream(file));
    },
  );
  app.get('/terms', async (request, reply) =>
    sendPage(
      reply,
      TermsPage({
        t: request.t,
        path: request.url,
        authoritative: (request.query as Record<string, unknown>).text === 'ja',
      }),
    ),
  );
  app.get('/sources', async (request, reply) =>
    sendPage(reply, SourcesPage({ t: request.t, path: request.url })),
  );
}
