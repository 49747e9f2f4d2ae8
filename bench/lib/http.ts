// A small browser-like HTTP client on node:http: one keep-alive connection per applicant,
// a cookie jar, no automatic redirects (each step is timed on its own). Cheaper per request
// than fetch, which matters because the load generator shares the machine with the portal.
import http from 'node:http';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Request start to last body byte, ms. */
  ms: number;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly step: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Cookie name=value pairs from Set-Cookie lines; a cookie with Max-Age=0 or a past Expires is removed. */
export function applySetCookie(jar: Map<string, string>, setCookie: readonly string[] | undefined): void {
  for (const line of setCookie ?? []) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    if (eq <= 0) continue;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const removed = attrs.some((a) => {
      const [k, v] = a.split('=').map((s) => s.trim());
      if (k?.toLowerCase() === 'max-age') return Number(v) <= 0;
      if (k?.toLowerCase() === 'expires') return Date.parse(v ?? '') < Date.now();
      return false;
    });
    if (removed || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

export class Browser {
  readonly jar = new Map<string, string>();
  readonly #agent: http.Agent;
  readonly #base: URL;
  /** Sent with every request (X-Forwarded-For: the applicant's address behind the load balancer). */
  extraHeaders: Record<string, string>;

  constructor(base: string, extraHeaders: Record<string, string> = {}) {
    this.#base = new URL(base);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.extraHeaders = extraHeaders;
  }

  get origin(): string {
    return this.#base.origin;
  }

  close(): void {
    this.#agent.destroy();
  }

  get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  /**
   * A form post. `from` is the origin of the page holding the form; a post from another site
   * (the user client software's page) carries no SameSite=Lax cookie, as in a browser.
   */
  postForm(
    path: string,
    fields: Record<string, string> | [string, string][],
    from = this.#base.origin,
  ): Promise<Response> {
    const body = new URLSearchParams(fields).toString();
    return this.request(
      'POST',
      path,
      body,
      { 'content-type': 'application/x-www-form-urlencoded', origin: from },
      from === this.#base.origin,
    );
  }

  request(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
    withCookies = true,
  ): Promise<Response> {
    const url = new URL(path, this.#base);
    const cookie = withCookies ? [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.#agent,
          method,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          headers: {
            accept: 'text/html,*/*',
            'accept-language': 'en',
            ...this.extraHeaders,
            ...(cookie ? { cookie } : {}),
            ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            applySetCookie(this.jar, res.headers['set-cookie']);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - start,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** A redirect's Location resolved against `base`. */
export function locationOf(res: Response, base: string): URL {
  const loc = res.headers.location;
  if (!loc) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(loc, base);
}
