import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderDocument } from '../../html/render.ts';
import { PageContextValue } from './page-context.ts';

/** Server-rendered HTML (portal/html/render.ts, shared with the emails): preact escapes text and attributes. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const signedIn = Boolean(reply.request.session?.userId);
  const html = renderDocument(h(PageContextValue.Provider, { value: { signedIn } }, page));
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}
