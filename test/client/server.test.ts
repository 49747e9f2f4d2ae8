// HTTP-level checks of who may ask and who may drive the card (no browser needed).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  authenticateUrl,
  cleanupTemplate,
  demoCardsTemplate,
  type FakePortal,
  freshCardDir,
  newNonce,
  SIGN_PASSWORD,
  startClient,
  startFakePortal,
  type TestClient,
  triesOnFile,
} from './helpers.ts';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        method,
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: {
          ...headers,
          ...(body
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': String(Buffer.byteLength(body)),
              }
            : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

let portal: FakePortal;
let client: TestClient;

before(async () => {
  await demoCardsTemplate();
  portal = await startFakePortal();
});
after(async () => {
  await portal.close();
  await cleanupTemplate();
});

async function withClient(fn: () => Promise<void>, cardId: string | null = 'default') {
  client = await startClient(await freshCardDir(cardId), [portal.origin]);
  try {
    await fn();
  } finally {
    await client.close();
  }
}

/** Opens a dialog the way the portal's redirect does; returns its path and form token. */
async function openDialog(): Promise<{ path: string; token: string; nonce: string }> {
  const nonce = newNonce();
  const r = await raw('GET', authenticateUrl(client, portal, nonce));
  assert.equal(r.status, 303);
  const path = String(r.headers.location);
  const page = await raw('GET', `${client.url}${path}`);
  assert.equal(page.status, 200);
  const token = field(page.body, '_token');
  assert.ok(token);
  return { path, token, nonce };
}

describe('client server: who may ask', () => {
  it('refuses a foreign Host header (DNS rebinding) before anything else', () =>
    withClient(async () => {
      for (const host of [`evil.example:${client.port}`, `127.0.0.1:${client.port + 1}`, 'evil.example']) {
        const r = await raw('GET', `${client.url}/`, { host });
        assert.equal(r.status, 421, host);
        assert.doesNotMatch(r.body, /default|Virtual Reader/);
      }
      assert.equal((await raw('GET', `${client.url}/`, { host: `localhost:${client.port}` })).status, 200);
    }));

  it('refuses an origin not on the allow-list with a bilingual page; the card is not touched', () =>
    withClient(async () => {
      const before = await triesOnFile(client.cardDir);
      const q = new URLSearchParams({
        origin: 'http://localhost:9999',
        nonce: newNonce(),
        return: 'http://localhost:9999/r',
        lang: 'en',
      });
      const r = await raw('GET', `${client.url}/authenticate?${q}`);
      assert.equal(r.status, 400);
      assert.match(r.body, /この要求は受け付けられません/);
      assert.match(r.body, /This request was refused/);
      assert.match(r.body, /http:\/\/localhost:9999/);
      assert.doesNotMatch(r.body, /<form/); // nothing is posted to a stranger
      assert.deepEqual(await triesOnFile(client.cardDir), before);
    }));

  it('refuses a return address on another origin, without a post-back', () =>
    withClient(async () => {
      const q = new URLSearchParams({
        origin: portal.origin,
        nonce: newNonce(),
        return: 'https://evil.example/r',
      });
      const r = await raw('GET', `${client.url}/authenticate?${q}`);
      assert.equal(r.status, 400);
      assert.doesNotMatch(r.body, /<form/);
    }));

  it('offers error=bad_request to the return URL when only the nonce is wrong', () =>
    withClient(async () => {
      const r = await raw('GET', authenticateUrl(client, portal, 'too-short'));
      assert.equal(r.status, 400);
      assert.match(r.body, new RegExp(`action="${portal.returnUrl.replace(/[/.]/g, '\\$&')}"`));
      assert.equal(field(r.body, 'error'), 'bad_request');
      assert.equal(field(r.body, 'nonce'), 'too-short');
      assert.match(
        String(r.headers['content-security-policy']),
        new RegExp(`form-action 'self' ${portal.origin}`),
      );
    }));
});

describe('client server: no other site may drive the card', () => {
  it('refuses a cross-site POST of a password attempt even with the right token; no try is used', () =>
    withClient(async () => {
      const { path, token } = await openDialog();
      const before = await triesOnFile(client.cardDir);
      const body = new URLSearchParams({ _token: token, action: 'ok', password: 'WRONG1' }).toString();
      const r = await raw('POST', `${client.url}${path}`, { origin: 'https://evil.example' }, body);
      assert.equal(r.status, 403);
      const site = await raw('POST', `${client.url}${path}`, { 'sec-fetch-site': 'cross-site' }, body);
      assert.equal(site.status, 403);
      const otherPort = await raw(
        'POST',
        `${client.url}${path}`,
        { origin: `http://127.0.0.1:${client.port + 1}` },
        body,
      );
      assert.equal(otherPort.status, 403);
      assert.deepEqual(await triesOnFile(client.cardDir), before);
    }));

  it('refuses a POST without the dialog token (Origin absent or null); no try is used', () =>
    withClient(async () => {
      const { path } = await openDialog();
      const before = await triesOnFile(client.cardDir);
      for (const headers of [{}, { origin: 'null' }] as Record<string, string>[]) {
        const body = new URLSearchParams({ _token: 'guess', action: 'ok', password: 'WRONG1' }).toString();
        assert.equal((await raw('POST', `${client.url}${path}`, headers, body)).status, 403);
      }
      assert.deepEqual(await triesOnFile(client.cardDir), before);
    }));

  it('accepts an Origin: null POST only together with the token', () =>
    withClient(async () => {
      const { path, token } = await openDialog();
      const body = new URLSearchParams({ _token: token, action: 'ok', password: SIGN_PASSWORD }).toString();
      const r = await raw('POST', `${client.url}${path}`, { origin: 'null' }, body);
      assert.equal(r.status, 303);
      const next = await raw('GET', `${client.url}${path}`);
      assert.match(next.body, /利用者証明用パスワード（4桁の数字）/);
    }));

  it('card changes on the status page need its token and our origin', () =>
    withClient(async () => {
      const page = await raw('GET', `${client.url}/`);
      const token = field(page.body, '_token');
      assert.ok(token);
      const remove = (t: string, headers: Record<string, string> = {}) =>
        raw(
          'POST',
          `${client.url}/reader`,
          headers,
          new URLSearchParams({ _token: t, action: 'remove' }).toString(),
        );
      assert.equal((await remove('nope')).status, 403);
      assert.equal((await remove(token, { origin: 'https://evil.example' })).status, 403);
      assert.equal((await client.reader.state()).cardId, 'default');
      assert.equal((await remove(token, { origin: client.url })).status, 303);
      assert.equal((await client.reader.state()).cardId, null);
    }));

  it('sends strict security headers and no CORS', () =>
    withClient(async () => {
      const r = await raw('GET', `${client.url}/`, { origin: 'https://evil.example' });
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /default-src 'none'/);
      assert.equal(r.headers['referrer-policy'], 'same-origin');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal(r.headers['access-control-allow-origin'], undefined);
      assert.equal(r.headers['cache-control'], 'no-store');
    }));

  it('an unknown or finished dialog is gone', () =>
    withClient(async () => {
      const r = await raw('GET', `${client.url}/dialog/nope`);
      assert.equal(r.status, 410);
      const { path, token } = await openDialog();
      const cancel = new URLSearchParams({ _token: token, action: 'cancel' }).toString();
      const answer = await raw('POST', `${client.url}${path}`, { origin: client.url }, cancel);
      assert.equal(answer.status, 200);
      assert.equal(field(answer.body, 'error'), 'cancelled');
      assert.equal((await raw('POST', `${client.url}${path}`, { origin: client.url }, cancel)).status, 410);
    }));
});
