// A small browser stand-in for route tests: keeps cookies, follows nothing, reads form tokens.
export interface Page {
  status: number;
  location: string | null;
  html: string;
}

export class Client {
  #cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async #send(method: string, path: string, body?: Record<string, string>): Promise<Page> {
    const headers: Record<string, string> = {
      cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'accept-language': 'en',
    };
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(this.base + path, {
      method,
      headers,
      redirect: 'manual',
      body: body ? new URLSearchParams(body).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }

  get(path: string): Promise<Page> {
    return this.#send('GET', path);
  }

  /** GET, then follow redirects (same origin). */
  async open(path: string): Promise<Page> {
    let page = await this.get(path);
    for (let i = 0; i < 5 && page.location; i++) page = await this.get(page.location);
    return page;
  }

  csrf(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no form token on the page');
    return m[1]!;
  }

  /** Posts a form found on the page just loaded from `from`, adding its token. */
  async post(path: string, fields: Record<string, string>, from: string): Promise<Page> {
    const page = await this.get(from);
    return this.#send('POST', path, { _csrf: this.csrf(page.html), ...fields });
  }

  postWithToken(path: string, fields: Record<string, string>, token: string): Promise<Page> {
    return this.#send('POST', path, { _csrf: token, ...fields });
  }

  /** A form POST as a page's script sends it with fetch, answered in JSON. */
  async postForJson(
    path: string,
    fields: Record<string, string>,
  ): Promise<{ status: number; data: Record<string, unknown> }> {
    const page = await this.#send('POST', path, fields);
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(page.html) as Record<string, unknown>;
    } catch {}
    return { status: page.status, data };
  }

  /** The session cookie's value (to see it change at sign-in). */
  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  setLangCookie(lang: 'ja' | 'en'): void {
    this.#cookies.set('lang', lang);
  }
}

/** Text content of the page, tags removed, entities for quotes decoded: for assertions. */
export function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
