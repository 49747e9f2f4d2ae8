// Passkeys over HTTP, as the pages and passkeys.js use them: the sign-in page without script,
// the manage page's fresh proof, adding (JSON), signing in (session rotated), rename and remove.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import { formatUserId } from '../../../portal/domain/user-id.ts';
import { listPasskeys } from '../../../portal/store/passkeys.ts';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.ts';
import { suitePortal } from '../../helpers/suite-portal.ts';
import { createTestUser } from './helpers.ts';
import { Client, text } from './http.ts';

const PASSWORD = 'correct horse battery staple 7';

describe('passkeys over HTTP', () => {
  const s = suitePortal();

  async function signedIn(): Promise<{ client: Client; userId: string; email: string }> {
    const user = await createTestUser(s.h.db, { lang: 'en', passwordHash: await hashPassword(PASSWORD) });
    const client = new Client(s.portal.url);
    const page = await client.post(
      '/signin',
      { userId: formatUserId(user.id), password: PASSWORD },
      '/signin',
    );
    assert.equal(page.location, '/mypage');
    return { client, userId: user.id, email: user.email };
  }

  test('the sign-in page offers passkeys, says they need JavaScript, and lets the User ID box autofill them', async () => {
    const page = await new Client(s.portal.url).get('/signin');
    assert.equal(page.status, 200);
    assert.match(page.html, /autocomplete="username webauthn"/);
    assert.match(page.html, /<script src="\/assets\/passkeys\.[0-9a-f]{10}\.js" defer/);
    const t = text(page.html);
    assert.match(t, /Sign in with a passkey/);
    assert.match(t, /needs JavaScript, which is turned off in this browser/);
    // The button is shown by the script only.
    assert.match(page.html, /<div data-passkey-ready="true" hidden>/);
  });

  test('the script’s requests carry the form token like every form', async () => {
    const client = new Client(s.portal.url);
    await client.get('/signin');
    const res = await client.postForJson('/signin/passkey/options', {});
    assert.equal(res.status, 403);
  });

  test('add needs a fresh proof; then add, sign in with the passkey, rename and remove', async () => {
    const { client, userId, email } = await signedIn();
    let page = await client.get('/mypage');
    assert.match(text(page.html), /Sign in with a passkey \(manage passkeys\)/);

    // Signed in with the password a while ago: the page asks for the password before adding.
    page = await client.get('/mypage/passkeys');
    let t = text(page.html);
    assert.match(t, /You have not added a passkey yet/);
    assert.match(t, /you can always sign in with your Individual Number card/);
    assert.match(t, /Confirm it is you/);
    assert.doesNotMatch(page.html, /data-passkey-add/);
    const token = client.csrf(page.html);
    assert.equal((await client.postForJson('/mypage/passkeys/options', { _csrf: token })).status, 403);

    page = await client.postWithToken('/mypage/passkeys/confirm', { current: 'wrong password' }, token);
    assert.equal(page.status, 422);
    assert.match(text(page.html), /current password is incorrect|incorrect/i);
    page = await client.postWithToken('/mypage/passkeys/confirm', { current: PASSWORD }, token);
    assert.equal(page.location, '/mypage/passkeys');
    page = await client.get('/mypage/passkeys');
    assert.match(text(page.html), /For the next 5 minutes you can add or remove passkeys/);
    assert.match(page.html, /data-passkey-add/);

    // Add (what passkeys.js does).
    const auth = new SoftAuthenticator(s.portal.config.publicOrigin);
    const options = await client.postForJson('/mypage/passkeys/options', { _csrf: token });
    assert.equal(options.status, 200);
    const added = await client.postForJson('/mypage/passkeys', {
      _csrf: token,
      name: 'Phone',
      response: JSON.stringify(auth.create(options.data)),
    });
    assert.deepEqual(added, { status: 200, data: { redirect: '/mypage/passkeys' } });
    page = await client.get('/mypage/passkeys');
    t = text(page.html);
    assert.match(t, /Your passkey has been added/);
    assert.match(t, /Phone Added .* \(Japan time\) Last used Not used yet/);
    const mail = await s.h.db
      .selectFrom('outbox')
      .select('template')
      .where('to_address', '=', email)
      .execute();
    assert.deepEqual(
      mail.map((m) => m.template),
      ['passkey-added'],
    );

    // Sign out, then sign in with the passkey from a new browser session.
    const other = new Client(s.portal.url);
    const signin = await other.get('/signin');
    const anonToken = other.csrf(signin.html);
    const before = other.cookie('sid');
    const opts = await other.postForJson('/signin/passkey/options', { _csrf: anonToken });
    assert.equal(opts.status, 200);
    const assertion = auth.get(opts.data);
    const done = await other.postForJson('/signin/passkey', {
      _csrf: anonToken,
      response: JSON.stringify(assertion),
    });
    assert.deepEqual(done, { status: 200, data: { redirect: '/mypage' } });
    assert.notEqual(other.cookie('sid'), before, 'a new session at sign-in');
    assert.match(other.cookie('sid') ?? '', /^s\./, 'a signed-in (database) session');
    page = await other.get('/mypage');
    assert.equal(page.status, 200);
    assert.match(text(page.html), /HOUMU TARO/);
    // The same assertion again, from another browser: refused, told plainly.
    const third = new Client(s.portal.url);
    const thirdToken = third.csrf((await third.get('/signin')).html);
    const replay = await third.postForJson('/signin/passkey', {
      _csrf: thirdToken,
      response: JSON.stringify(assertion),
    });
    assert.equal(replay.status, 401);
    assert.match(String(replay.data.error), /could not be signed in with this passkey/);

    // A passkey sign-in is no fresh proof: adding asks for the password there.
    page = await other.get('/mypage/passkeys');
    assert.match(text(page.html), /Confirm it is you/);
    assert.match(text(page.html), /Last used \d{1,2} \w+ \d{4} at/);

    // Rename (no proof needed), refused when empty.
    const id = auth.credentials[0]!.id;
    page = await client.postWithToken('/mypage/passkeys/rename', { id, name: ' ' }, token);
    assert.equal(page.status, 422);
    assert.match(text(page.html), /Enter a name of 1 to 64 characters/);
    page = await client.postWithToken('/mypage/passkeys/rename', { id, name: 'Old phone' }, token);
    assert.equal(page.location, '/mypage/passkeys');
    assert.equal((await listPasskeys(s.h.db, userId))[0]?.name, 'Old phone');

    // Remove: refused without a fresh proof (the other session signed in with the passkey).
    const otherToken = other.csrf((await other.get('/mypage/passkeys')).html);
    page = await other.postWithToken('/mypage/passkeys/remove', { id }, otherToken);
    assert.equal(page.location, '/mypage/passkeys');
    assert.match(text((await other.get('/mypage/passkeys')).html), /first confirm it is you/);
    assert.equal((await listPasskeys(s.h.db, userId)).length, 1);
    // ...and done with one.
    page = await client.postWithToken('/mypage/passkeys/remove', { id }, token);
    assert.equal(page.location, '/mypage/passkeys');
    t = text((await client.get('/mypage/passkeys')).html);
    assert.match(t, /The passkey has been removed/);
    assert.match(t, /You have not added a passkey yet/);
    const templates = await s.h.db
      .selectFrom('outbox')
      .select('template')
      .where('to_address', '=', email)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      templates.map((m) => m.template),
      ['passkey-added', 'passkey-removed'],
    );
  });
});
