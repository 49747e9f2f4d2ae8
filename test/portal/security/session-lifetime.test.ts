// Defect 8 (issue 11): sessions had no absolute lifetime, only an idle one, so a session kept
// busy (or a stolen cookie kept warm) lived for ever. Now SESSION_ABSOLUTE_HOURS (12) ends it
// however active it is, signed in (database row) or not (sealed cookie). The clock is injected.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import { Client } from '../account/http.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PASSWORD = 'correct horse battery staple 7';

for (const kind of databaseKinds()) {
  describe(`absolute session lifetime (${kind})`, () => {
    let h: DatabaseHandle;
    let portal: TestPortal;
    let clock = Date.now();
    before(async () => {
      h = await openTestDatabase(kind);
      portal = await startPortal(h.db, { SESSION_IDLE_MINUTES: '30' }, () => new Date(clock));
    });
    after(async () => {
      await portal.close();
      await h.close();
    });

    test('a signed-in session used every 20 minutes ends 12 hours after sign-in, with the sign-in-again page', async () => {
      const user = await createTestUser(h.db, {
        lang: 'en',
        passwordHash: await hashPassword(PASSWORD),
        passwordSetAt: new Date(clock),
        passwordExpiresAt: new Date(clock + 300 * 24 * HOUR),
      });
      const c = new Client(portal.url);
      const signedIn = await c.post('/signin', { userId: user.id, password: PASSWORD }, '/signin');
      assert.equal(signedIn.location, '/mypage');
      const start = clock;
      // Never idle: a page every 20 minutes (the idle limit is 30) until just before 12 hours.
      while (clock + 20 * MINUTE < start + 12 * HOUR) {
        clock += 20 * MINUTE;
        const page = await c.get('/mypage');
        assert.equal(page.status, 200, `${(clock - start) / HOUR} h after sign-in`);
      }
      clock = start + 12 * HOUR;
      const ended = await c.get('/mypage');
      assert.equal(ended.status, 401);
      assert.ok(ended.html.includes(catalogs.en.account.idle.textLifetime(12)), ended.html.slice(0, 2000));
      assert.match(ended.html, /href="\/signin"/);
      // The session is gone, not merely refused once.
      const rows = await h.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      assert.equal(rows.length, 0);
      assert.equal((await c.get('/mypage')).status, 401);
    });

    test('the limit is configurable and also ends a session that is not signed in (the cookie)', async () => {
      const short = await startPortal(h.db, { SESSION_ABSOLUTE_HOURS: '2' }, () => new Date(clock));
      try {
        const c = new Client(short.url);
        const token = () => c.get('/').then((p) => c.csrf(p.html));
        const first = await token();
        const start = clock;
        while (clock + 20 * MINUTE < start + 2 * HOUR) {
          clock += 20 * MINUTE;
          assert.equal(await token(), first, `${(clock - start) / MINUTE} min: the same session`);
        }
        clock = start + 2 * HOUR;
        assert.notEqual(await token(), first, 'a new session after 2 hours');
      } finally {
        await short.close();
      }
    });
  });
}
