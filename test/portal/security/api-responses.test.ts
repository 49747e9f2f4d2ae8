// ASVS 14.4.2: every JSON answer of the portal carries Content-Disposition: attachment with a
// file name, so a browser never renders it as a page (the municipality search's JSON, its
// refusal without a card step, and the health check).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { setupPki, TestBrowser, type TestPki } from '../registration/helpers.ts';

let pki: TestPki;
let h: DatabaseHandle;
let portal: TestPortal;

before(async () => {
  pki = await setupPki({ taro: 'taro' });
  h = await openTestDatabase('pglite');
  portal = await startPortal(h.db, pki.env);
});
after(async () => {
  await portal?.close();
  await h?.close();
  pki?.close();
});

test('JSON answers are attachments with a file name: municipalities (200 and 403) and /healthz', async () => {
  const b = new TestBrowser(portal.app);
  await b.passCardStep(pki.cards.taro!, portal.url);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const list = await portal.app.inject({
    url: '/registration/municipalities?prefecture=13',
    headers: { cookie },
  });
  assert.equal(list.statusCode, 200);
  assert.match(String(list.headers['content-type']), /^application\/json/);
  assert.equal(list.headers['content-disposition'], 'attachment; filename="municipalities.json"');
  assert.equal((JSON.parse(list.body) as { municipalities: unknown[] }).municipalities.length, 62);

  const refused = await portal.app.inject({ url: '/registration/municipalities?prefecture=13' });
  assert.equal(refused.statusCode, 403);
  assert.match(String(refused.headers['content-type']), /^application\/json/);
  assert.equal(refused.headers['content-disposition'], 'attachment; filename="municipalities.json"');

  const health = await portal.app.inject({ url: '/healthz' });
  assert.match(String(health.headers['content-type']), /^application\/json/);
  assert.equal(health.headers['content-disposition'], 'attachment; filename="healthz.json"');

  // Pages stay pages.
  const top = await portal.app.inject({ url: '/' });
  assert.match(String(top.headers['content-type']), /^text\/html/);
  assert.equal(top.headers['content-disposition'], undefined);
});
