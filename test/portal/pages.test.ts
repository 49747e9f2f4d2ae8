import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { startPortal, type TestPortal } from '../helpers/server.ts';

describe('foundation pages over HTTP', () => {
  let h: DatabaseHandle;
  let portal: TestPortal;
  before(async () => {
    h = await openTestDatabase('pglite');
    portal = await startPortal(h.db);
  });
  after(async () => {
    await portal.close();
    await h.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    portal.app.inject({ method: 'GET', url: path, headers });

  test('top page in Japanese by default and in English when the browser asks', async () => {
    const ja = await get('/');
    assert.equal(ja.statusCode, 200);
    assert.match(ja.body, /<html lang="ja">/);
    assert.match(ja.body, /新規利用者登録（オンラインシステムの利用登録）/);
    assert.match(ja.body, /外国人（申請人）・その他/);
    const en = await get('/', { 'accept-language': 'en-US,en;q=0.9' });
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /New User Registration \(Registration to use the online system\)/);
    assert.match(en.body, /Foreign national \(applicant\) \/ other/);
  });

  test('?lang= sets a cookie and returns to the clean address', async () => {
    const res = await get('/terms?lang=en');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/terms');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /lang=en/);
    const page = await get('/terms', { cookie: 'lang=en', 'accept-language': 'ja' });
    assert.match(page.body, /Terms of Use/);
    assert.match(page.body, /the Japanese text prevails/);
  });

  test('terms of use exist in both languages with every article', async () => {
    const ja = await get('/terms', { cookie: 'lang=ja' });
    for (const heading of [
      '第1条（目的）',
      '第3条（個人情報の取扱い）',
      '第5条（禁止事項）',
      '日本語版が優先',
    ]) {
      assert.ok(ja.body.includes(heading), heading);
    }
  });

  test('unknown pages answer 404 with a page in the user language', async () => {
    const res = await get('/no-such-page', { 'accept-language': 'en' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
  });

  test('health and readiness', async () => {
    assert.deepEqual((await get('/healthz')).json(), { status: 'ok' });
    const ready = (await get('/readyz')).json();
    assert.equal(ready.database, 'ok');
    assert.equal(ready.redis, 'not configured');
    assert.deepEqual(ready.outbox, { pending: 0, oldestPendingSeconds: 0 });
  });

  test('strict security headers on pages', async () => {
    const res = await get('/');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.match(String(res.headers['set-cookie']), /HttpOnly; SameSite=Lax/);
    assert.ok(res.headers['x-request-id']);
  });

  test('a POST without the form token is refused with an explanation and changes nothing', async () => {
    const res = await portal.app.inject({
      method: 'POST',
      url: '/registration/card',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: '_csrf=forged',
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /This page has expired/);
  });

  test('a POST from another origin is refused even with a token', async () => {
    const page = await get('/');
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await portal.app.inject({
      method: 'POST',
      url: '/registration/card',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        origin: 'https://evil.example',
      },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    assert.equal(res.statusCode, 403);
  });

  test('assets are content-hashed, cached forever, and small', async () => {
    const page = await get('/');
    const css = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(page.body)?.[1];
    assert.ok(css);
    const res = await get(css);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /immutable/);
    assert.match(res.body, /--color-primitive-blue-900:#0017c1/);
    assert.ok(res.body.length < 16_000, `site.css is ${res.body.length} bytes`);
  });
});
