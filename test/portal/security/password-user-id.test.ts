// Defect 6 of issue 11: the User ID is shown "XXXX-XXXX-XXXX", and a password holding it in that
// form passed the "must not contain your User ID" rule (hyphens were removed on one side only).
// Black box through the password-setting page, then the rule itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkNewPassword } from '../../../portal/domain/password.ts';
import { formatUserId } from '../../../portal/domain/user-id.ts';
import { queueCompletionEmail } from '../../../portal/flows/registration/completion-email.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import { openSecret } from '../../../portal/mail/secret.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import { Client, text } from '../account/http.ts';

const message = catalogs.en.account.errors.password.containsUserId;

/** Full-width (zenkaku) letters, digits and hyphen, as a Japanese IME types them. */
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));

/** Every way of writing the User ID inside a password that must be refused. */
function variants(id: string): Record<string, string> {
  const shown = formatUserId(id);
  return {
    'shown form': `${shown}-spring`,
    'bare form': `spring ${id}`,
    'lower case, shown form': `${shown.toLowerCase()} autumn`,
    'lower case, bare form': `autumn${id.toLowerCase()}`,
    'full-width, shown form': `冬の${fullWidth(shown)}`,
    'full-width, lower case': fullWidth(`${shown.toLowerCase()}!winter`),
    'katakana long-vowel and dash separators': `${shown.replace('-', 'ー').replace('-', '–')} summer`,
    'spaces instead of hyphens': `${shown.replaceAll('-', ' ')} summer`,
  };
}

describe('a password containing the User ID as shown is refused (password-setting page)', () => {
  let handle: DatabaseHandle;
  let portal: TestPortal;
  before(async () => {
    handle = await openTestDatabase('pglite');
    portal = await startPortal(handle.db);
  });
  after(async () => {
    await portal.close();
    await handle.close();
  });

  test('shown form, bare form, lower case and full-width are refused with the message', async () => {
    const user = await createTestUser(handle.db, { lang: 'en', userName: 'HOUMU TARO' });
    const deps = { config: portal.config, db: handle.db, now: () => new Date() };
    await handle.db.transaction().execute((tx) => queueCompletionEmail(tx, deps, user));
    const row = await handle.db
      .selectFrom('outbox')
      .select(['secret_ciphertext'])
      .where('to_address', '=', user.email)
      .executeTakeFirstOrThrow();
    const token = openSecret(row.secret_ciphertext!, portal.config.mail.secretKeys);

    const c = new Client(portal.url);
    const opened = await c.open(`/password/set?token=${token}`);
    assert.ok(opened.html.includes(formatUserId(user.id)), 'the page shows the User ID with hyphens');

    for (const [name, password] of Object.entries(variants(user.id))) {
      const page = await c.post('/password/set', { password, confirm: password }, '/password/set');
      assert.equal(page.status, 422, name);
      assert.ok(text(page.html).includes(message), `${name}: ${password}`);
    }
    // The link is still unused: a good password is then accepted.
    const good = 'blue lanterns over kyoto station';
    const done = await c.post('/password/set', { password: good, confirm: good }, '/password/set');
    assert.equal(done.status, 303);
    assert.equal(done.location, '/signin');
  });
});

test('the rule folds the password and the User ID the same way (NFKC, case, every dash removed)', () => {
  const id = '7K3M9QXD2HWE';
  const ctx = { userId: id, userName: 'HOUMU TARO' };
  for (const [name, p] of Object.entries(variants(id))) {
    assert.equal(checkNewPassword(p, p, ctx).password, 'containsUserId', `${name}: ${p}`);
  }
  // The User ID as stored (bare) or as shown gives the same answer.
  const p = `${formatUserId(id)}-spring`;
  assert.equal(checkNewPassword(p, p, { ...ctx, userId: formatUserId(id) }).password, 'containsUserId');
  // Typed back as the portal reads User IDs: O for 0, I or L for 1.
  const typo = 'ABCD-EFGH-JK10';
  assert.equal(
    checkNewPassword('abcd efgh jkio pass', 'abcd efgh jkio pass', {
      userId: typo.replaceAll('-', ''),
      userName: 'X',
    }).password,
    'containsUserId',
  );
  // Not every password with hyphens is refused: only the User ID's symbols in order.
  assert.deepEqual(checkNewPassword('7K3M-9QXD walks-home', '7K3M-9QXD walks-home', ctx), {});
});
