import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContextValue } from './page-context.ts';

/** Server-rendered HTML: preact escapes text and attributes by default. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const signedIn = Boolean(reply.request.session?.userId);
  const html = renderToString(h(PageContextValue.Provider, { value: { signedIn } }, page));
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${html}`);
}
