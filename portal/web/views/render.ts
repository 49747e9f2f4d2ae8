import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderDocument } from '../../html/render.ts';
import { renderReadingsHtml } from '../../i18n/readings.ts';
import { PageContextValue } from './page-context.ts';

/**
 * Server-rendered HTML (portal/html/render.ts, shared with the emails): preact escapes text and
 * attributes. Easy Japanese text carries reading markers from its catalog; they become <ruby> here,
 * after escaping (../../i18n/readings.ts).
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const signedIn = Boolean(reply.request.session?.userId);
  const readings = reply.request.readings !== false;
  const html = renderReadingsHtml(
    renderDocument(h(PageContextValue.Provider, { value: { signedIn, readings } }, page)),
    readings,
  );
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}
