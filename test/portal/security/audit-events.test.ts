// ASVS 7.1.3, 7.2.2 and 8.3.5: refused access (My page without a signed-in session), CSRF
// refusals and views of My page (the registered personal data) are audit events, naming the
// path and the reason, never a token, a password or the personal data. Black box over HTTP;
// the clock is injected so a session can run out.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import { Client } from '../account/http.ts';

const MINUTE = 60_000;
const PASSWORD = 'correct horse battery staple 7';

let h: DatabaseHandle;
let portal: TestPortal;
let clock = Date.now();

before(async () => {
  h = await openTestDatabase('pglite');
  portal = await startPortal(h.db, { SESSION_IDLE_MINUTES: '30' }, () => new Date(clock));
});
after(async () => {
  await portal?.close();
  await h?.close();
});
beforeEach(async () => {
  await h.db.deleteFrom('audit_events').execute();
});

const events = (event: string) =>
  h.db
    .selectFrom('audit_events')
    .select(['event', 'user_id', 'ip', 'request_id', 'detail'])
    .where('event', '=', event)
    .execute();

async function signedIn(): Promise<{ c: Client; userId: string }> {
  const user = await createTestUser(h.db, {
    lang: 'en',
    passwordHash: await hashPassword(PASSWORD),
    passwordSetAt: new Date(clock),
    passwordExpiresAt: new Date(clock + 300 * 24 * 60 * MINUTE),
  });
  const c = new Client(portal.url);
  const r = await c.post('/signin', { userId: user.id, password: PASSWORD }, '/signin');
  assert.equal(r.location, '/mypage');
  return { c, userId: user.id };
}

test('a signed-out browser asking for My page is sent to sign-in and audited as access.denied', async () => {
  const r = await new Client(portal.url).get('/mypage/email?x=secret-looking');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/signin');
  const rows = await events('access.denied');
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]!.detail, { path: '/mypage/email', reason: 'signedOut' });
  assert.equal(rows[0]!.user_id, null);
  assert.ok(rows[0]!.ip && rows[0]!.request_id, 'address and request id recorded');
});

test('an expired session asking for My page gets the sign-in-again page and is audited as access.denied', async () => {
  const { c } = await signedIn();
  clock += 31 * MINUTE;
  const r = await c.get('/mypage');
  assert.equal(r.status, 401);
  const rows = await events('access.denied');
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]!.detail, { path: '/mypage', reason: 'expired' });
  assert.equal((await events('mypage.viewed')).length, 0);
});

test('CSRF refusals are audited as csrf.refused with the reason, never the token', async () => {
  const forged = 'forged-token-value-0123456789';
  const res = await portal.app.inject({
    method: 'POST',
    url: '/registration/card',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    payload: `_csrf=${forged}`,
  });
  assert.equal(res.statusCode, 403);
  const page = await portal.app.inject({ url: '/' });
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cross = await portal.app.inject({
    method: 'POST',
    url: '/registration/card',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'https://evil.example' },
    payload: `_csrf=${encodeURIComponent(token)}`,
  });
  assert.equal(cross.statusCode, 403);
  const rows = await events('csrf.refused');
  assert.deepEqual(
    rows.map((r) => r.detail),
    [
      { reason: 'token', path: '/registration/card' },
      { reason: 'origin', path: '/registration/card' },
    ],
  );
  const all = JSON.stringify(await h.db.selectFrom('audit_events').selectAll().execute());
  assert.ok(!all.includes(forged) && !all.includes(token), 'no form token in the audit log');
});

test('viewing My page is audited as mypage.viewed: who and when, not the personal data', async () => {
  const { c, userId } = await signedIn();
  const r = await c.get('/mypage');
  assert.equal(r.status, 200);
  const rows = await events('mypage.viewed');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.user_id, userId);
  assert.deepEqual(rows[0]!.detail, {});
  assert.equal((await events('access.denied')).length, 0);
});
