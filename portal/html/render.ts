// The one HTML renderer of the portal: pages (portal/web/views/render.ts) and emails
// (portal/mail/templates.tsxx) are Preact JSX rendered to a string here. Preact escapes text and
// attribute values, so no caller writes its own escaping. Imports only Preact: any layer may use it.
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole HTML document: the doctype, then the rendered tree. */
export function renderDocument<P>(root: VNode<P>): string {
  return `<!doctype html>${renderToString(root)}`;
}
