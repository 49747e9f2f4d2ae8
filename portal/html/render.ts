// The one HTML renderer of the portal: pages (portal/web/views/render.ts) and emails
// (portal/mail/templates.tsxx) are Preact JSX rendered to a string here. Preact escapes text and
// attribute values, so no caller writes its own escaping. Imports only Preact: any layer may use it.
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole HTML document: the doctype, then the rendered tree. */
export function renderDocument<P>(root: VNode<P>): string {
  return `<!doctype html>${renderToString(root)}`;
}

interface Cache {
  html: Map<string, string>;
  next: WeakMap<object, Cache>;
}
const fragments = new WeakMap<object, Cache>();

/**
 * Part of a page that is the same for every request with the same owners and key (an option list
 * in one language, a page's footer), rendered once by this same renderer and kept, for a view to
 * insert with `dangerouslySetInnerHTML={rendered(…)}` on the element that holds it. Safe as
 * inserted HTML: it is preact's own output for that tree, escaped as it would be inline, so the
 * page is byte-for-byte what rendering the tree in place gives (test/portal/pages-render.test.ts).
 * The owners are the objects the tree is drawn from (a catalog, the municipality directory): kept
 * while they live. The key must name everything else the tree depends on, and come from a bounded
 * set (never a value a user typed): each key is kept as long as its owners.
 */
export function rendered(owners: readonly object[], key: string, tree: () => VNode): { __html: string } {
  let level = fragments;
  let cache: Cache | undefined;
  for (const owner of owners) {
    cache = level.get(owner);
    if (!cache) {
      cache = { html: new Map(), next: new WeakMap() };
      level.set(owner, cache);
    }
    level = cache.next;
  }
  if (!cache) throw new Error('rendered: no owner');
  let html = cache.html.get(key);
  if (html === undefined) {
    html = renderToString(tree());
    cache.html.set(key, html);
  }
  return { __html: html };
}
