import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { startPortal, type TestPortal } from '../helpers/server.ts';

const redisUrl = process.env.TEST_REDIS_URL;
const skip = redisUrl ? undefined : 'TEST_REDIS_URL is not set (.ci/run sets it to the local Redis)';

describe('rate limits shared by several portal instances through Redis', { skip }, () => {
  let h: DatabaseHandle;
  let a: TestPortal;
  let b: TestPortal;
  before(async () => {
    // Start from zero: counters of an earlier run within the same minute would carry over.
    const r = new Redis(redisUrl!);
    const keys = await r.keys('residence-online-rl:*');
    if (keys.length) await r.del(...keys);
    await r.quit();
    h = await openTestDatabase('pglite');
    a = await startPortal(h.db, { REDIS_URL: redisUrl! });
    b = await startPortal(h.db, { REDIS_URL: redisUrl! });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await h?.close();
  });

  test('sign-in attempts spread over two instances count against one limit (30 a minute)', async () => {
    const post = (p: TestPortal) =>
      p.app.inject({
        method: 'POST',
        url: '/signin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        payload: 'userId=AAAA-BBBB-CCCC&password=x',
      });
    for (let i = 0; i < 30; i++) {
      const res = await post(i % 2 ? a : b);
      assert.notEqual(res.statusCode, 429, `attempt ${i + 1}`);
    }
    const limited = await post(a);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Too many requests/);
  });
});

describe('rate limits when Redis cannot be reached', () => {
  test('the portal still answers (limits skipped, not every applicant refused)', async () => {
    const h = await openTestDatabase('pglite');
    const p = await startPortal(h.db, { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await p.app.inject({
        method: 'POST',
        url: '/signin',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'userId=A&password=x',
      });
      assert.notEqual(res.statusCode, 429);
      assert.notEqual(res.statusCode, 500);
    } finally {
      await p.close();
      await h.close();
    }
  });
});
