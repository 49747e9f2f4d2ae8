// Issue 11, defect 8: confirming an email change invalidates every outstanding password link —
// they were sent to the old address, which may be the very mailbox the user is moving away from.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser, queuedLinkToken } from '../account/helpers.ts';
import { Client, text } from '../account/http.ts';

const GOOD = 'blue lanterns over kyoto station';
const NEW_PASSWORD = 'seven quiet foxes in the snow';

for (const kind of databaseKinds()) {
  describe(`email change and password links (${kind})`, () => {
    let handle: DatabaseHandle;
    let portal: TestPortal;

    before(async () => {
      handle = await openTestDatabase(kind);
      portal = await startPortal(handle.db);
    });
    after(async () => {
      await portal?.close();
      await handle?.close();
    });

    test('a password link mailed before an email change no longer works once the change is confirmed', async () => {
      const user = await createTestUser(handle.db, {
        lang: 'en',
        passwordHash: await hashPassword(GOOD),
        passwordSetAt: new Date(),
        passwordExpiresAt: new Date(Date.now() + 365 * 86_400_000),
      });
      const token = (to: string) => queuedLinkToken(handle.db, to, portal.config.mail.secretKeys);

      // A password link goes to the old address; a second browser opens it before the change
      // (the link now sits in that browser's session) and a third keeps the email for later.
      const holder = new Client(portal.url);
      let page = await holder.post(
        '/password/forgot',
        { userId: user.id, email: user.email },
        '/password/forgot',
      );
      assert.equal(page.status, 200);
      const oldLink = await token(user.email);
      page = await holder.open(`/password/set?token=${oldLink}`);
      assert.match(text(page.html), /Set your password/, 'the link works before the change');

      // The owner changes the address and confirms it from the new mailbox.
      const owner = new Client(portal.url);
      assert.equal((await owner.post('/signin', { userId: user.id, password: GOOD }, '/signin')).status, 303);
      page = await owner.post(
        '/mypage/email',
        { current: GOOD, email: 'moved@example.org', confirm: 'moved@example.org' },
        '/mypage/email',
      );
      assert.equal(page.location, '/mypage');
      await owner.open(`/email/confirm?token=${await token('moved@example.org')}`);
      page = await owner.post('/email/confirm', {}, '/email/confirm');
      assert.equal(page.location, '/mypage');

      // The old link, opened afresh: no longer valid.
      const later = new Client(portal.url);
      page = await later.open(`/password/set?token=${oldLink}`);
      assert.match(text(page.html), /This link is not valid/);
      assert.doesNotMatch(text(page.html), /Set your password/);

      // The browser that opened it before the change cannot use it either.
      page = await holder.post(
        '/password/set',
        { password: NEW_PASSWORD, confirm: NEW_PASSWORD },
        '/password/set',
      );
      assert.equal(page.status, 410);
      assert.match(text(page.html), /This link is not valid/);
      const d = new Client(portal.url);
      assert.equal(
        (await d.post('/signin', { userId: user.id, password: NEW_PASSWORD }, '/signin')).status,
        401,
      );
      assert.equal((await d.post('/signin', { userId: user.id, password: GOOD }, '/signin')).status, 303);
    });
  });
}
