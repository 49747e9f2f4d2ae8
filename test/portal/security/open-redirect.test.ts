// Defect 2 of issue 11: `GET //a//evil.example/x?lang=en` answered `303 Location: //evil.example/x`,
// and the language links of every page were built from the request path the same way.
// Black box: hostile request targets go over a raw socket (fetch would normalise them), and every
// Location header and every link or form target on the answer must stay on the portal's origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { localTarget } from '../../../portal/web/local-path.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { type RawResponse, rawRequest } from '../../helpers/raw-http.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';

const HOSTILE = [
  '//evil.example/x',
  '//a//evil.example/x',
  '///evil.example/x',
  '////evil.example',
  '/\\evil.example/x',
  '/\\/evil.example/x',
  '/\\\\evil.example',
  '/\\/a//evil.example/x',
  '//\\evil.example',
  '/%2F%2Fevil.example/x',
  '/%2f/evil.example',
  '/%2F/a//evil.example',
  '/%5Cevil.example',
  '/%5c%5Cevil.example',
  '/%5C/evil.example',
  '/%09/evil.example',
  '/%0A/evil.example',
  '/\t/evil.example',
  '//\tevil.example',
  '/a/..//evil.example',
  '/.//evil.example',
  '/a/b\\..\\..\\\\evil.example',
  '/signin\\..\\..\\/evil.example',
  '/%2e%2e//evil.example',
  '//evil.example@127.0.0.1/x',
  '//127.0.0.1@evil.example/x',
  'http://evil.example/x',
  'https://evil.example//evil.example/x',
  '//evil.example:443/?',
  '//%65vil.example/x',
];
const QUERIES = ['', '?lang=en', '?lang=ja', '?a=1&lang=en', '?lang=en&b=//evil.example'];

let h: DatabaseHandle;
let portal: TestPortal;
let origin: string;
let session: { cookie: string; csrf: string };

before(async () => {
  h = await openTestDatabase('pglite');
  portal = await startPortal(h.db);
  origin = portal.config.publicOrigin;
  // A real session and form token, so a form POST is judged on its path, not refused for CSRF.
  const page = await rawRequest(portal.url, 'GET', '/signin', { 'Accept-Language': 'en' });
  session = {
    cookie: page.setCookies.map((c) => c.split(';')[0]).join('; '),
    csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
  };
  assert.ok(session.csrf, 'the sign-in page carries a form token');
});
after(async () => {
  await portal?.close();
  await h?.close();
});

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, x: string) => String.fromCodePoint(Number.parseInt(x, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every place the answer could send the browser, with where the browser would end up. */
function targets(res: RawResponse): Array<{ what: string; url: string }> {
  const out: Array<{ what: string; url: string }> = [];
  if (res.headers.location !== undefined) out.push({ what: 'Location', url: res.headers.location });
  for (const m of res.body.matchAll(/\s(href|action|formaction)="([^"]*)"/gi)) {
    out.push({ what: m[1]!.toLowerCase(), url: decodeEntities(m[2]!) });
  }
  return out;
}

function assertStaysHome(res: RawResponse, request: string): void {
  for (const { what, url } of targets(res)) {
    // The card step's form alone posts to the user client software, by design.
    const allowed = what === 'action' ? [origin, portal.config.clientOrigin] : [origin];
    let landed: string;
    try {
      landed = new URL(url, `${origin}/`).origin;
    } catch {
      landed = '(not a URL)';
    }
    assert.ok(
      allowed.includes(landed),
      `${request} → ${res.status}: ${what} ${JSON.stringify(url)} leads to ${landed}`,
    );
  }
}

/** The language switch's links, on pages without a form. */
function languageLinks(res: RawResponse): string[] {
  const nav = /<nav class="lang-switch"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? '';
  return [...nav.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1]!));
}

async function probe(target: string): Promise<void> {
  const get = await rawRequest(portal.url, 'GET', target, { 'Accept-Language': 'en' });
  assertStaysHome(get, `GET ${JSON.stringify(target)}`);
  if (get.status === 404) {
    // The not-found page has the language switch: it must have been looked at, not skipped.
    assert.ok(languageLinks(get).length > 0, `GET ${JSON.stringify(target)}: a language link is shown`);
  }
  const post = await rawRequest(
    portal.url,
    'POST',
    target,
    {
      'Accept-Language': 'en',
      Cookie: session.cookie,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    new URLSearchParams({ _csrf: session.csrf, _lang: 'ja' }).toString(),
  );
  assertStaysHome(post, `POST ${JSON.stringify(target)}`);
}

describe('open redirect: hostile paths never lead off the portal', () => {
  test('the reported request: GET //a//evil.example/x?lang=en stays on the portal', async () => {
    const res = await rawRequest(portal.url, 'GET', '//a//evil.example/x?lang=en');
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.location!, `${origin}/`).origin, origin, res.headers.location);
  });

  test('a table of hostile paths, with and without ?lang=, GET and form POST with _lang', async () => {
    for (const path of HOSTILE) for (const query of QUERIES) await probe(path + query);
  });

  test('a ?lang= link keeps the page and its other query parameters', async () => {
    const res = await rawRequest(portal.url, 'GET', '/terms?a=1&lang=en&b=2');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/terms?a=1&b=2');
    const page = await rawRequest(portal.url, 'GET', '/terms?a=1', { 'Accept-Language': 'en' });
    assert.deepEqual(languageLinks(page), ['/terms?a=1&lang=ja', '/terms?a=1&lang=ja-easy']);
  });

  test('property: generated paths of slashes, backslashes, encodings and hosts stay on the portal', async () => {
    const separator = fc.constantFrom(
      '/',
      '//',
      '///',
      '\\',
      '/\\',
      '\\/',
      '%2F',
      '%2f',
      '%5C',
      '%5c',
      '/\t/',
      '/%09/',
    );
    const segment = fc.constantFrom(
      '',
      'a',
      '.',
      '..',
      '%2e',
      'evil.example',
      'EVIL.example:80',
      'x@evil.example',
      'http:',
      '%00',
    );
    const lead = fc.constantFrom('/', '//', '/\\', '/%2F', '/%5C', '/%2f', '/%5c', '/\t/', '\\/', 'http://');
    const query = fc.constantFrom('', '?lang=en', '?lang=ja', '?x=1&lang=en', '#?lang=en');
    const path = fc
      .tuple(lead, fc.array(fc.tuple(segment, separator), { maxLength: 5 }), segment, query)
      .map(([start, parts, last, q]) => start + parts.map(([seg, sep]) => seg + sep).join('') + last + q);
    await fc.assert(
      fc.asyncProperty(path, async (target) => probe(target)),
      { numRuns: 150 },
    );
  });
});

describe('localTarget: the one place a request target becomes a link or a Location', () => {
  const BASE = 'https://portal.example.go.jp';
  test('property: for any string, the result is a single-slash path on the same origin', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({
            unit: fc.constantFrom(
              '/',
              '\\',
              '.',
              '%',
              '2',
              'F',
              'f',
              '5',
              'C',
              'c',
              'e',
              '@',
              ':',
              '?',
              '#',
              '\t',
              '\n',
              'a',
            ),
          }),
        ),
        fc.boolean(),
        (rest, lead) => {
          const out = localTarget(lead ? `/${rest}` : rest, (q) => q.set('lang', 'en'));
          assert.match(out, /^\/(?![/\\])/);
          assert.equal(new URL(out, BASE).origin, BASE, out);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('ordinary paths and queries are kept', () => {
    assert.equal(localTarget('/signin'), '/signin');
    assert.equal(
      localTarget('/terms?a=1&lang=en', (q) => q.delete('lang')),
      '/terms?a=1',
    );
    assert.equal(
      localTarget('/registration/step1', (q) => q.set('lang', 'ja')),
      '/registration/step1?lang=ja',
    );
    assert.equal(
      localTarget('//a//evil.example/x?lang=en', (q) => q.delete('lang')),
      '/a//evil.example/x',
    );
    assert.equal(localTarget('http://evil.example/x'), '/');
  });
});
