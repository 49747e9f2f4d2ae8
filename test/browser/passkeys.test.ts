// Passkeys in Chromium with the DevTools protocol's virtual authenticator (a platform
// authenticator with user verification and resident keys), in English and Japanese, with axe on
// every new page and state: My page → confirm with the password → add → rename → sign out →
// sign in with the passkey → remove (after the password again) → the removed passkey refused.
// WebAuthn wants a secure context and a domain for its RP ID, so this portal's PUBLIC_ORIGIN is
// http://localhost:<port> (127.0.0.1 cannot be an RP ID). The page without JavaScript says so.
// Screenshots to look at: PASSKEY_SHOTS=/tmp/dir.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { hashPassword } from '../../portal/domain/password-hash.ts';
import { formatUserId } from '../../portal/domain/user-id.ts';
import { catalogs, type Lang } from '../../portal/i18n/index.ts';
import { loadPortalConfig } from '../../portal/portal-config.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { listPasskeys } from '../../portal/store/passkeys.ts';
import { buildApp } from '../../portal/web/app.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { freePort, type TestPortal } from '../helpers/server.ts';
import { createTestUser } from '../portal/account/helpers.ts';

const skip = browserUnavailable();
const SHOTS = process.env.PASSKEY_SHOTS;
const PASSWORD = 'paper lanterns along the river';

/** The portal on localhost (the RP ID must be a domain), listening on the loopback address. */
async function startLocalhostPortal(h: DatabaseHandle): Promise<TestPortal> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const config = loadPortalConfig({ LOG_LEVEL: 'silent', PORT: String(port), PUBLIC_ORIGIN: url });
  const app = await buildApp({ config, db: h.db, now: () => new Date() });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, url, config, close: () => app.close() };
}

describe('passkeys in a real browser (virtual authenticator)', { skip }, () => {
  let h: DatabaseHandle;
  let portal: TestPortal;
  let browser: Browser;
  let passwordHash: string;

  before(async () => {
    h = await openTestDatabase('pglite');
    [portal, browser, passwordHash] = await Promise.all([
      startLocalhostPortal(h),
      launchBrowser(),
      hashPassword(PASSWORD),
    ]);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
    await h?.close();
  });

  async function noViolations(page: Page, where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }
  async function shot(page: Page, name: string): Promise<void> {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }
  async function mainText(page: Page): Promise<string> {
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
    return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  }

  async function virtualAuthenticator(cdp: CDPSession): Promise<string> {
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  }

  for (const lang of ['en', 'ja'] as const satisfies readonly Lang[]) {
    test(`${lang}: add a passkey, rename it, sign in with it, remove it`, async () => {
      const t = catalogs[lang];
      const k = t.passkeys;
      const user = await createTestUser(h.db, { lang, passwordHash, passwordSetAt: new Date() });
      const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const authenticatorId = await virtualAuthenticator(cdp);
      // The virtual authenticator answers the autofill (conditional) request at once, where a
      // person would pick the passkey from the User ID box's suggestions: the button is tested
      // with autofill off, then autofill on its own.
      await context.addInitScript(() => {
        if (window.PublicKeyCredential && localStorage.getItem('passkey-autofill') !== 'on') {
          PublicKeyCredential.isConditionalMediationAvailable = async () => false;
        }
      });
      const autofill = (on: boolean) =>
        page.evaluate((v) => localStorage.setItem('passkey-autofill', v), on ? 'on' : 'off');

      // The sign-in page with script: the passkey button is shown, the no-script line is not.
      await page.goto(`${portal.url}/signin`);
      const passkeyButton = page.getByRole('button', { name: k.signin.button, exact: true });
      await passkeyButton.waitFor();
      assert.equal(await page.getByText(k.signin.noScript).isVisible(), false);
      await noViolations(page, `${lang} sign-in page with the passkey button`);
      await shot(page, `${lang}-passkey-01-signin`);

      // Signed in with the password; My page → Passkeys: first the password again.
      await page.locator('#userId').fill(formatUserId(user.id));
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: t.account.signin.submit, exact: true }).click();
      await page.waitForURL(/\/mypage$/);
      await page.getByRole('link', { name: k.myPageLink }).click();
      await page.waitForURL(/\/mypage\/passkeys$/);
      assert.match(await mainText(page), new RegExp(k.page.none));
      assert.equal(await page.getByRole('button', { name: k.page.addButton }).count(), 0);
      await noViolations(page, `${lang} passkeys page before the proof`);
      await shot(page, `${lang}-passkey-02-proof`);

      await page.locator('#currentPassword').fill('not the password');
      await page.getByRole('button', { name: k.page.proofButton }).click();
      await page.locator('#error-summary').waitFor();
      await noViolations(page, `${lang} passkeys page, wrong password`);
      await page.locator('#currentPassword').fill(PASSWORD);
      await page.getByRole('button', { name: k.page.proofButton }).click();
      await page.getByText(k.notices.confirmed).waitFor();
      await noViolations(page, `${lang} passkeys page, ready to add`);
      await shot(page, `${lang}-passkey-03-add`);

      // Add: the browser creates a discoverable credential with user verification.
      await page.getByLabel(k.page.nameLabel).fill(lang === 'ja' ? 'ノートパソコン' : 'Laptop');
      await page.getByRole('button', { name: k.page.addButton }).click();
      await page.getByText(k.notices.added).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0]?.isResidentCredential, true, 'a discoverable credential');
      assert.equal(credentials[0]?.rpId, 'localhost');
      const stored = await listPasskeys(h.db, user.id);
      assert.equal(stored.length, 1);
      assert.equal(
        stored[0]?.credentialId,
        credentials[0]?.credentialId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'),
      );
      await noViolations(page, `${lang} passkeys page with one passkey`);
      await shot(page, `${lang}-passkey-04-added`);

      // Rename.
      const newName = lang === 'ja' ? '仕事用パソコン' : 'Work laptop';
      const oldName = lang === 'ja' ? 'ノートパソコン' : 'Laptop';
      await page.getByLabel(k.page.renameLabel(oldName)).fill('');
      await page.getByRole('button', { name: k.page.renameButton }).click();
      await page.locator('#error-summary').waitFor();
      await noViolations(page, `${lang} passkeys page, rename refused`);
      await page.getByLabel(k.page.renameLabel(oldName)).fill(newName);
      await page.getByRole('button', { name: k.page.renameButton }).click();
      await page.getByText(k.notices.renamed).waitFor();
      assert.equal(await page.getByRole('heading', { name: newName }).count(), 1);

      // Sign out, and in again with the passkey (the button; the authenticator verifies the user).
      await page.goto(`${portal.url}/mypage`);
      await page.getByRole('button', { name: t.account.signout.button }).click();
      await page.waitForURL(/\/signin$/);
      await page.getByRole('button', { name: k.signin.button, exact: true }).click();
      await page.waitForURL(/\/mypage$/);
      assert.match(await mainText(page), new RegExp(formatUserId(user.id)));
      const [used] = await listPasskeys(h.db, user.id);
      assert.ok(used?.lastUsedAt, 'the last use is recorded');
      assert.ok((used?.signCount ?? 0) > 0, 'the virtual authenticator counts its signatures');

      // Autofill: the sign-in page asks for a passkey as soon as it loads (the User ID box's
      // suggestions); picking it signs in without a click on the button.
      await page.getByRole('button', { name: t.account.signout.button }).click();
      await page.waitForURL(/\/signin$/);
      await autofill(true);
      await page.goto(`${portal.url}/signin`);
      await page.waitForURL(/\/mypage$/);
      await autofill(false);
      const [again] = await listPasskeys(h.db, user.id);
      assert.ok((again?.signCount ?? 0) > (used?.signCount ?? 0));

      // Remove: a passkey sign-in is no fresh proof, so the password first.
      await page.goto(`${portal.url}/mypage/passkeys`);
      assert.equal(await page.getByRole('button', { name: k.page.removeButton(newName) }).count(), 0);
      await page.locator('#currentPassword').fill(PASSWORD);
      await page.getByRole('button', { name: k.page.proofButton }).click();
      await page.getByRole('button', { name: k.page.removeButton(newName) }).click();
      await page.getByText(k.notices.removed).waitFor();
      assert.equal((await listPasskeys(h.db, user.id)).length, 0);
      await noViolations(page, `${lang} passkeys page after removal`);
      await shot(page, `${lang}-passkey-05-removed`);
      const mails = await h.db
        .selectFrom('outbox')
        .select('template')
        .where('to_address', '=', user.email)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        mails.map((m) => m.template),
        ['passkey-added', 'passkey-removed'],
      );

      // The authenticator still holds the removed passkey: the portal refuses it, told plainly.
      await page.goto(`${portal.url}/mypage`);
      await page.getByRole('button', { name: t.account.signout.button }).click();
      await page.waitForURL(/\/signin$/);
      await page.getByRole('button', { name: k.signin.button, exact: true }).click();
      await page.getByText(k.signin.errors.unknown).waitFor();
      assert.match(page.url(), /\/signin$/);
      await noViolations(page, `${lang} sign-in page, passkey refused`);
      await shot(page, `${lang}-passkey-06-refused`);
      await context.close();
    });
  }

  test('without JavaScript the sign-in page says a passkey needs it, and the other ways work', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${portal.url}/signin`);
    const k = catalogs.en.passkeys.signin;
    assert.equal(await page.getByText(k.noScript).isVisible(), true);
    assert.equal(await page.getByRole('button', { name: k.button, exact: true }).isVisible(), false);
    assert.equal(
      await page.getByRole('button', { name: catalogs.en.account.signin.submit, exact: true }).isVisible(),
      true,
    );
    // (axe needs JavaScript; the same page with the no-script line shown is checked below.)
    await context.close();
    const withScript = await browser.newContext({ locale: 'en-GB' });
    const checked = await withScript.newPage();
    await checked.goto(`${portal.url}/signin`);
    await checked.evaluate(() => {
      for (const p of document.querySelectorAll<HTMLElement>('[data-passkey-noscript]')) p.hidden = false;
    });
    await noViolations(checked, 'sign-in page with the no-script line');
    await withScript.close();
  });
});
