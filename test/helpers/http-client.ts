// The one cookie-keeping HTTP client of the tests: a browser stand-in that keeps cookies, reads
// the form token of the last page, posts forms with it and follows same-origin redirects. Where
// the request goes is a transport: app.inject (in process, any client address), fetch (a
// listening portal) or node:http from a chosen local address (a portal that sees many clients).
// The route tests' front ends (registration's TestBrowser, account's Client) extend it.
import http from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface Answer {
  status: number;
  /** The Location header, '' when there is none. */
  location: string;
  body: string;
}

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawAnswer extends Answer {
  setCookies: string[];
}

export type Transport = (req: Request) => Promise<RawAnswer>;

/** Through app.inject; `remoteAddress` gives each request its client address (default: inject's). */
export function viaInject(app: FastifyInstance, remoteAddress?: () => string): Transport {
  return async ({ method, path, headers, body }) => {
    const res = await app.inject({
      method,
      url: path,
      headers,
      ...(remoteAddress ? { remoteAddress: remoteAddress() } : {}),
      ...(body === undefined ? {} : { payload: body }),
    });
    const set = res.headers['set-cookie'];
    return {
      status: res.statusCode,
      location: String(res.headers.location ?? ''),
      body: res.body,
      setCookies: set === undefined ? [] : Array.isArray(set) ? set : [String(set)],
    };
  };
}

/** Through fetch to a listening portal at `base`, redirects not followed. */
export function viaFetch(base: string): Transport {
  return async ({ method, path, headers, body }) => {
    const res = await fetch(base + path, { method, headers, redirect: 'manual', body });
    return {
      status: res.status,
      location: res.headers.get('location') ?? '',
      body: await res.text(),
      setCookies: res.headers.getSetCookie(),
    };
  };
}

/** Through node:http from `localAddress` (Linux routes all of 127.0.0.0/8 to lo). */
export function viaHttp(base: string, localAddress: string): Transport {
  return ({ method, path, headers, body }) => {
    const url = new URL(path, base);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          localAddress,
          agent: false,
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            data += chunk;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              location: String(res.headers.location ?? ''),
              body: data,
              setCookies: res.headers['set-cookie'] ?? [],
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}

/** The form token a page carries, if any. */
export function formToken(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

export interface SendOptions {
  /** Form fields, sent urlencoded. */
  form?: Record<string, string>;
  /** A body as is, with its content type. */
  raw?: { type: string; payload: string };
  /** false: send no cookie and keep none (a cross-site post, SameSite=Lax). */
  cookies?: boolean;
}

export class HttpClient {
  cookies = new Map<string, string>();
  /** The form token of the last page that had one. */
  csrf = '';

  constructor(
    readonly transport: Transport,
    /** Sent with every request (e.g. `accept-language`). */
    readonly headers: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(method: 'GET' | 'POST', path: string, opts: SendOptions = {}): Promise<Answer> {
    const { form, raw, cookies = true } = opts;
    const headers: Record<string, string> = { ...this.headers };
    if (cookies && this.cookies.size) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    } else if (raw) {
      headers['content-type'] = raw.type;
      body = raw.payload;
    }
    const res = await this.transport({ method, path, headers, ...(body === undefined ? {} : { body }) });
    if (cookies) {
      for (const c of res.setCookies) {
        const pair = c.split(';')[0] ?? '';
        const i = pair.indexOf('=');
        const name = pair.slice(0, i);
        const value = pair.slice(i + 1);
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    const token = formToken(res.body);
    if (token) this.csrf = token;
    return { status: res.status, location: res.location, body: res.body };
  }

  get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  /** Posts a form with the form token of the last page. */
  post(path: string, fields: Record<string, string> = {}): Promise<Answer> {
    return this.send('POST', path, { form: { _csrf: this.csrf, ...fields } });
  }

  /** The client software's cross-site POST: no session cookie (SameSite=Lax). */
  crossSitePost(path: string, fields: Record<string, string>): Promise<Answer> {
    return this.send('POST', path, { form: fields, cookies: false });
  }

  /** Follows same-origin redirects with GET. */
  async follow(r: Answer, max = 5): Promise<Answer> {
    let cur = r;
    for (let i = 0; i < max && cur.status >= 300 && cur.status < 400 && cur.location.startsWith('/'); i++) {
      cur = await this.get(cur.location);
    }
    return cur;
  }
}
