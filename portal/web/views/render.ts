import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderReadingsHtml } from '../../../design/readings.ts';
import { renderDocument } from '../../html/render.ts';
import { type PageContext, PageContextValue } from './page-context.ts';

/**
 * A page as the HTML document sent: preact escapes text and attributes (portal/html/render.ts,
 * shared with the emails). Easy Japanese text carries reading markers from its catalog; they
 * become <ruby> here, after escaping (design/readings.ts).
 */
export function renderPage(page: VNode, context: PageContext): string {
  return renderReadingsHtml(
    renderDocument(h(PageContextValue.Provider, { value: context }, page)),
    context.readings,
  );
}

/** Sends a server-rendered page (never cached: it may hold the session's entries). */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const signedIn = Boolean(reply.request.session?.userId);
  const readings = reply.request.readings !== false;
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(renderPage(page, { signedIn, readings }));
}
