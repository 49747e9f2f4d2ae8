// Issue 11, defect 8: re-authentication (the current password asked to change the password or
// the email address) has a per-account throttle. A wrong current password counts, on either
// form; after 5 the changes are locked for 15 minutes with a clear message in both languages,
// even for the right password, and simultaneous wrong passwords cannot get past the limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import { Client, text } from '../account/http.ts';

const GOOD = 'blue lanterns over kyoto station';
const NEXT = 'seven quiet foxes in the snow';
const LOCKED_EN =
  /current password was entered incorrectly too many times, so changes that need it are locked/;
const LOCKED_JA =
  /現在のパスワードの入力に続けて失敗したため、パスワードが必要な変更を一時的に停止しています/;

for (const kind of databaseKinds()) {
  describe(`re-authentication throttle (${kind})`, () => {
    let handle: DatabaseHandle;
    let portal: TestPortal;
    let clock = Date.now();

    before(async () => {
      handle = await openTestDatabase(kind);
      portal = await startPortal(handle.db, {}, () => new Date(clock));
    });
    after(async () => {
      await portal?.close();
      await handle?.close();
    });

    async function signedIn(p = portal): Promise<{ c: Client; id: string; email: string }> {
      const user = await createTestUser(handle.db, {
        lang: 'en',
        passwordHash: await hashPassword(GOOD),
        passwordSetAt: new Date(clock),
        passwordExpiresAt: new Date(clock + 365 * 86_400_000),
      });
      const c = new Client(p.url);
      const page = await c.post('/signin', { userId: user.id, password: GOOD }, '/signin');
      assert.equal(page.status, 303);
      return { c, id: user.id, email: user.email };
    }

    const changePassword = (c: Client, current: string) =>
      c.post('/mypage/password', { current, password: NEXT, confirm: NEXT }, '/mypage/password');
    const changeEmail = (c: Client, current: string) =>
      c.post(
        '/mypage/email',
        { current, email: 'new@example.org', confirm: 'new@example.org' },
        '/mypage/email',
      );

    test('wrong current passwords on change password and change email lock both after 5, with the message', async () => {
      const { c, id } = await signedIn();
      for (const attempt of [changePassword, changeEmail, changePassword, changeEmail]) {
        const page = await attempt(c, 'not my password');
        assert.equal(page.status, 422);
        assert.match(text(page.html), /current password is incorrect/);
      }
      let page = await changePassword(c, 'not my password either');
      assert.equal(page.status, 429);
      assert.match(text(page.html), LOCKED_EN);
      assert.match(text(page.html), /Please try again after .*\(Japan time\)/);

      // Locked: the right current password changes nothing, on either form.
      page = await changePassword(c, GOOD);
      assert.equal(page.status, 429);
      assert.match(text(page.html), LOCKED_EN);
      page = await changeEmail(c, GOOD);
      assert.equal(page.status, 429);
      assert.match(text(page.html), LOCKED_EN);
      c.setLangCookie('ja');
      page = await changePassword(c, GOOD);
      assert.match(text(page.html), LOCKED_JA);
      c.setLangCookie('en');
      const row = await handle.db
        .selectFrom('users')
        .select('email')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.notEqual(row.email, 'new@example.org');
      const d = new Client(portal.url);
      assert.equal(
        (await d.post('/signin', { userId: id, password: GOOD }, '/signin')).status,
        303,
        'the password is unchanged (and sign-in is a separate count)',
      );

      // After 15 minutes the right password works again.
      clock += 15 * 60_000 + 1000;
      page = await changePassword(c, GOOD);
      assert.equal(page.status, 303);
      assert.equal(page.location, '/mypage');
    });

    test('simultaneous wrong current passwords are checked at most 5 times', async () => {
      // An instance of its own: its per-address route limit (20 a minute) is not shared with the test above.
      const p = await startPortal(handle.db, {}, () => new Date(clock));
      try {
        const { c, id } = await signedIn(p);
        const form = await c.get('/mypage/password');
        const token = c.csrf(form.html);
        const answers = await Promise.all(
          Array.from({ length: 19 }, (_, i) =>
            c.postWithToken(
              '/mypage/password',
              { current: `guess ${i}`, password: NEXT, confirm: NEXT },
              token,
            ),
          ),
        );
        for (const r of answers) assert.ok(r.status === 422 || r.status === 429, `status ${r.status}`);
        const r = await handle.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('user_id', '=', id)
          .where('event', 'in', ['reauth.failed', 'reauth.locked'])
          .executeTakeFirstOrThrow();
        assert.ok(Number(r.n) <= 5, `${r.n} of 19 checked`);
        assert.match(text((await changePassword(c, GOOD)).html), LOCKED_EN);
      } finally {
        await p.close();
      }
    });
  });
}
