// The account area over HTTP against PGlite (and PostgreSQL with TEST_DATABASE_URL): the
// password link (use, reuse, expiry), password rules, sign-in, lockout, expiry of the password,
// idle timeout, sign-out, forgotten password, My page changes, reminders.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import { queueCompletionEmail } from '../../../portal/flows/registration/completion-email.ts';
import { queueDueReminders } from '../../../portal/mail/reminders.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser, queuedLinkToken, type TestUser } from './helpers.ts';
import { Client, text } from './http.ts';

const DAY = 86_400_000;
const GOOD = 'blue lanterns over kyoto station';

for (const kind of databaseKinds()) {
  describe(`account area (${kind})`, () => {
    let handle: DatabaseHandle;
    let portal: TestPortal;
    let clock = Date.now();

    before(async () => {
      handle = await openTestDatabase(kind);
      portal = await startPortal(handle.db, {}, () => new Date(clock));
    });
    after(async () => {
      await portal.close();
      await handle.close();
    });

    const deps = () => ({ config: portal.config, db: handle.db, now: () => new Date(clock) });

    /** The link token of the newest queued message to this address (as the worker would decrypt it). */
    const linkToken = (to: string) => queuedLinkToken(handle.db, to, portal.config.mail.secretKeys);

    async function registered(overrides: Parameters<typeof createTestUser>[1] = {}): Promise<TestUser> {
      const user = await createTestUser(handle.db, { lang: 'en', ...overrides });
      await handle.db.transaction().execute((tx) => queueCompletionEmail(tx, deps(), user));
      return user;
    }

    async function withPassword(password = GOOD, expiresInDays = 365): Promise<TestUser> {
      return createTestUser(handle.db, {
        lang: 'en',
        passwordHash: await hashPassword(password),
        passwordSetAt: new Date(clock),
        passwordExpiresAt: new Date(clock + expiresInDays * DAY),
      });
    }

    async function signIn(c: Client, userId: string, password: string) {
      return c.post('/signin', { userId, password }, '/signin');
    }

    test('the emailed link sets the password once; the rules are enforced; the link cannot be reused', async () => {
      const user = await registered({ userName: 'HOUMU TARO' });
      const token = await linkToken(user.email);
      const c = new Client(portal.url);
      const opened = await c.get(`/password/set?token=${token}`);
      assert.equal(opened.status, 303);
      assert.equal(opened.location, '/password/set', 'the token leaves the address bar');
      let page = await c.get('/password/set');
      assert.match(text(page.html), /Set your password/);
      assert.ok(page.html.includes(user.id.slice(0, 4)), 'the page shows the User ID');

      const attempt = (password: string, confirm = password) =>
        c.post('/password/set', { password, confirm }, '/password/set');
      page = await attempt('short');
      assert.equal(page.status, 422);
      assert.match(text(page.html), /at least 8 characters/);
      page = await attempt('password123');
      assert.match(text(page.html), /widely used or has appeared in data breaches/);
      page = await attempt(`my id is ${user.id.toLowerCase()}`);
      assert.match(text(page.html), /must not contain your User ID/);
      page = await attempt('taro the great traveller');
      assert.match(text(page.html), /must not contain your name/);
      page = await attempt(GOOD, `${GOOD}!`);
      assert.match(text(page.html), /do not match/);
      assert.ok(!page.html.includes(GOOD), 'passwords are never echoed back');
      page = await attempt('x'.repeat(257));
      assert.match(text(page.html), /at most 256/);

      page = await attempt(GOOD);
      assert.equal(page.status, 303);
      assert.equal(page.location, '/signin');
      const row = await handle.db
        .selectFrom('users')
        .select(['password_hash', 'password_expires_at'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.match(row.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.equal(row.password_expires_at?.getTime(), clock + 365 * DAY);
      const signin = await c.get('/signin');
      assert.match(text(signin.html), /Your password has been set/);

      // The same link again, in another browser: used.
      const other = new Client(portal.url);
      page = await other.open(`/password/set?token=${token}`);
      assert.match(text(page.html), /already been used/);
      assert.match(page.html, /action="\/password\/forgot"/, 'it offers a new link');
      // Only the hash of the token is stored.
      const links = await handle.db
        .selectFrom('account_links')
        .selectAll()
        .where('user_id', '=', user.id)
        .execute();
      assert.ok(links.every((l) => l.token_hash !== token && /^[0-9a-f]{64}$/.test(l.token_hash)));
    });

    test('an expired or unknown link explains itself and offers a new one', async () => {
      const user = await registered();
      const token = await linkToken(user.email);
      clock += 24 * 3_600_000 + 1000;
      try {
        const c = new Client(portal.url);
        let page = await c.open(`/password/set?token=${token}`);
        assert.match(text(page.html), /This link has expired/);
        assert.match(text(page.html), /valid for 24 hours/);
        page = await c.open('/password/set?token=not-a-token');
        assert.match(text(page.html), /This link is not valid/);
      } finally {
        clock -= 24 * 3_600_000 + 1000;
      }
    });

    test('sign-in rotates the session; My page masks the Residence Card number; sign-out ends it', async () => {
      const user = await withPassword();
      const c = new Client(portal.url);
      const before = await c.get('/signin');
      const tokenBefore = c.csrf(before.html);
      const res = await c.postWithToken('/signin', { userId: user.id, password: GOOD }, tokenBefore);
      assert.equal(res.status, 303);
      assert.equal(res.location, '/mypage');
      const page = await c.get('/mypage');
      assert.equal(page.status, 200);
      const body = text(page.html);
      assert.match(body, /AB\*{6}78CD/);
      assert.ok(!page.html.includes('AB12345678CD'));
      assert.match(body, /separate procedure/);
      assert.notEqual(c.csrf(page.html), tokenBefore, 'a new session (and form token) after sign-in');
      const out = await c.post('/signout', {}, '/mypage');
      assert.equal(out.location, '/signin');
      assert.match(text((await c.get('/signin')).html), /You have signed out/);
      const again = await c.get('/mypage');
      assert.equal(again.status, 303);
      assert.equal(again.location, '/signin');
    });

    test('five wrong passwords lock the User ID for 15 minutes, told plainly', async () => {
      const user = await withPassword();
      const c = new Client(portal.url);
      for (let i = 1; i <= 4; i++) {
        const page = await signIn(c, user.id, `wrong password ${i}`);
        assert.equal(page.status, 401);
        assert.match(text(page.html), /User ID or password is incorrect/);
      }
      let page = await signIn(c, user.id, 'wrong password 5');
      assert.equal(page.status, 429);
      assert.match(text(page.html), /locked because of repeated failed attempts/);
      page = await signIn(c, user.id, GOOD);
      assert.equal(page.status, 429, 'even the right password waits for the lock to end');
      clock += 15 * 60_000 + 1000;
      page = await signIn(c, user.id, GOOD);
      assert.equal(page.status, 303);
    });

    test('the idle timeout shows a clear page', async () => {
      const user = await withPassword();
      const c = new Client(portal.url);
      await signIn(c, user.id, GOOD);
      assert.equal((await c.get('/mypage')).status, 200);
      clock += 31 * 60_000;
      const page = await c.get('/mypage');
      assert.equal(page.status, 401);
      assert.match(text(page.html), /no activity for 30 minutes/);
    });

    test('an expired password leads to a new emailed link', async () => {
      const user = await withPassword(GOOD, -1);
      const c = new Client(portal.url);
      const page = await signIn(c, user.id, GOOD);
      assert.equal(page.status, 200);
      assert.match(text(page.html), /Your password has expired/);
      assert.match(text(page.html), /We have sent a link/);
      const rows = await handle.db
        .selectFrom('outbox')
        .select(['template', 'payload'])
        .where('to_address', '=', user.email)
        .execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.template, 'password-link');
      assert.equal(rows[0]!.payload.reason, 'expired');
      assert.equal((await c.get('/mypage')).status, 303, 'not signed in');
    });

    test('forgotten password: the same answer whether or not the details match; a cooldown', async () => {
      const user = await withPassword();
      const c = new Client(portal.url);
      const ask = (userId: string, email: string) =>
        c.post('/password/forgot', { userId, email }, '/password/forgot');
      const wrong = await ask(user.id, 'someone.else@example.com');
      const right = await ask(user.id, user.email.toUpperCase());
      const again = await ask(user.id, user.email);
      assert.equal(wrong.status, 200);
      assert.equal(text(wrong.html), text(right.html));
      assert.equal(text(again.html), text(right.html));
      const rows = await handle.db
        .selectFrom('outbox')
        .select('template')
        .where('to_address', '=', user.email)
        .execute();
      assert.deepEqual(
        rows.map((r) => r.template),
        ['password-link'],
        'one link despite two requests within 5 minutes',
      );
      const token = await linkToken(user.email);
      const page = await c.open(`/password/set?token=${token}`);
      assert.match(text(page.html), /Set your password/);
      const empty = await ask('', 'not-an-address');
      assert.equal(empty.status, 422);
      assert.match(text(empty.html), /Enter your User ID/);
    });

    test('change of email address: confirmed by a link to the new address, the old one told', async () => {
      const user = await withPassword();
      const c = new Client(portal.url);
      await signIn(c, user.id, GOOD);
      let page = await c.post(
        '/mypage/email',
        { email: 'new.address@example.org', confirm: 'new.address@example.org', current: 'wrong' },
        '/mypage/email',
      );
      assert.equal(page.status, 422);
      assert.match(text(page.html), /current password is incorrect/);
      assert.ok(page.html.includes('new.address@example.org'), 'entries kept');
      page = await c.post(
        '/mypage/email',
        { email: 'new.address@example.org', confirm: 'new.address@example.org', current: GOOD },
        '/mypage/email',
      );
      assert.equal(page.location, '/mypage');
      const token = await linkToken('new.address@example.org');
      page = await c.open(`/email/confirm?token=${token}`);
      assert.match(text(page.html), /new\.address@example\.org/);
      page = await c.post('/email/confirm', {}, '/email/confirm');
      assert.equal(page.location, '/mypage');
      const row = await handle.db
        .selectFrom('users')
        .select('email')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.email, 'new.address@example.org');
      const notice = await handle.db
        .selectFrom('outbox')
        .select(['template', 'payload'])
        .where('to_address', '=', user.email)
        .executeTakeFirstOrThrow();
      assert.equal(notice.template, 'email-changed');
      assert.equal(notice.payload.newAddressMasked, 'ne****@example.org');
      page = await c.open(`/email/confirm?token=${token}`);
      assert.equal(page.status, 410, 'the link works once');
    });

    test('change of password on My page', async () => {
      const user = await withPassword();
      const c = new Client(portal.url);
      await signIn(c, user.id, GOOD);
      let page = await c.post(
        '/mypage/password',
        { current: GOOD, password: GOOD, confirm: GOOD },
        '/mypage/password',
      );
      assert.match(text(page.html), /different from your current password/);
      const next = 'seven quiet foxes in the snow';
      page = await c.post(
        '/mypage/password',
        { current: GOOD, password: next, confirm: next },
        '/mypage/password',
      );
      assert.equal(page.location, '/mypage');
      assert.match(text((await c.get('/mypage')).html), /Your password has been changed/);
      const d = new Client(portal.url);
      assert.equal((await signIn(d, user.id, GOOD)).status, 401);
      assert.equal((await signIn(d, user.id, next)).status, 303);
    });

    test('the language switch on a form keeps the entries but never the password', async () => {
      const c = new Client(portal.url);
      const page = await c.post(
        '/signin',
        { userId: 'ABCD-EFGH', password: 'secret words here', _lang: 'ja' },
        '/signin',
      );
      assert.equal(page.status, 200);
      assert.match(page.html, /<html lang="ja"/);
      assert.ok(page.html.includes('ABCD-EFGH'));
      assert.ok(!page.html.includes('secret words here'));
    });

    test('a sign-in POST without the right form token gets the explained 403 page', async () => {
      const c = new Client(portal.url);
      await c.get('/signin');
      const page = await c.postWithToken('/signin', { userId: 'X', password: 'y' }, 'forged');
      assert.equal(page.status, 403);
      assert.match(text(page.html), /This page has expired/);
    });

    test('reminders 30 and 7 days before expiry, each once', async () => {
      await handle.db.deleteFrom('password_reminders').execute();
      const user = await withPassword(GOOD, 20);
      const now = () => new Date(clock);
      const mine = async () =>
        (
          await handle.db
            .selectFrom('outbox')
            .select(['template', 'payload'])
            .where('to_address', '=', user.email)
            .execute()
        ).map((r) => r.payload.daysBefore);
      await queueDueReminders(handle.db, now());
      await queueDueReminders(handle.db, now());
      assert.deepEqual(await mine(), [30]);
      await queueDueReminders(handle.db, new Date(clock + 13.5 * DAY));
      await queueDueReminders(handle.db, new Date(clock + 14 * DAY));
      assert.deepEqual(await mine(), [30, 7]);
      await queueDueReminders(handle.db, new Date(clock + 21 * DAY));
      assert.deepEqual(await mine(), [30, 7], 'none after expiry');
    });
  });
}
