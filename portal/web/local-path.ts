// Links and redirects that repeat the request's own path (the language switch, the `?lang=`
// redirect) must never lead off the portal. The request target is attacker-written: `//evil`,
// `/\evil`, `/a/..//evil` or `/\t/evil` all read as another host once a browser resolves them.

const BASE = 'http://portal.invalid';

/**
 * The request target as a same-origin path and query, optionally with the query edited.
 *
 * The target is parsed after a fixed authority, so nothing in it can become a host, and the
 * WHATWG parser normalises it as a browser would (`\` to `/`, tabs and newlines dropped, dot
 * segments resolved, `%2e` as `.`). A path that still begins with several slashes is cut to one.
 * Anything else (an absolute-form target, a parse failure) gives the home page.
 */
export function localTarget(target: string, editQuery?: (query: URLSearchParams) => void): string {
  let url: URL;
  try {
    url = new URL(`${BASE}${target.startsWith('/') ? target : '/'}`);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  editQuery?.(url.searchParams);
  const out = `/${url.pathname.replace(/^\/+/, '')}${url.search}`;
  // Belt and braces: resolved against the portal, the result must stay on the portal.
  return new URL(out, BASE).origin === BASE ? out : '/';
}
