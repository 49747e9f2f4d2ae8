// A small browser stand-in for route tests over fetch: the shared test HTTP client
// (test/helpers/http-client.ts) with the account tests' shape of answers (html, location or null).
import { type Answer, formToken, HttpClient, viaFetch } from '../../helpers/http-client.ts';

export interface Page {
  status: number;
  location: string | null;
  html: string;
}

const page = (a: Answer): Page => ({ status: a.status, location: a.location || null, html: a.body });

export class Client {
  readonly http: HttpClient;
  constructor(readonly base: string) {
    this.http = new HttpClient(viaFetch(base), { 'accept-language': 'en' });
  }

  async get(path: string): Promise<Page> {
    return page(await this.http.get(path));
  }

  /** GET, then follow redirects (same origin). */
  async open(path: string): Promise<Page> {
    return page(await this.http.follow(await this.http.get(path)));
  }

  csrf(html: string): string {
    const token = formToken(html);
    if (!token) throw new Error('no form token on the page');
    return token;
  }

  /** Posts a form found on the page just loaded from `from`, adding its token. */
  async post(path: string, fields: Record<string, string>, from: string): Promise<Page> {
    const { body } = await this.http.get(from);
    return this.postWithToken(path, fields, this.csrf(body));
  }

  async postWithToken(path: string, fields: Record<string, string>, token: string): Promise<Page> {
    return page(await this.http.send('POST', path, { form: { _csrf: token, ...fields } }));
  }

  /** A form POST as a page's script sends it with fetch, answered in JSON. */
  async postForJson(
    path: string,
    fields: Record<string, string>,
  ): Promise<{ status: number; data: Record<string, unknown> }> {
    const answer = await this.http.send('POST', path, { form: fields });
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {}
    return { status: answer.status, data };
  }

  /** The session cookie's value (to see it change at sign-in). */
  cookie(name: string): string | undefined {
    return this.http.cookies.get(name);
  }

  setLangCookie(lang: 'ja' | 'en' | 'ja-easy'): void {
    this.http.cookies.set('lang', lang);
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
