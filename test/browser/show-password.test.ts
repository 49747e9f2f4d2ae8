// ASVS 2.1.12: every password field of the portal (set, change, sign-in) has a "Show password"
// check box that site.js brings to life; without JavaScript it stays hidden (the field works as
// ever). In both languages, with axe on each page in both states.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../portal/domain/password-hash.ts';
import { queueCompletionEmail } from '../../portal/flows/registration/completion-email.ts';
import { catalogs } from '../../portal/i18n/index.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { suitePortal } from '../helpers/suite-portal.ts';
import { createTestUser, queuedLinkToken } from '../portal/account/helpers.ts';

const skip = browserUnavailable();
const PASSWORD = 'blue lanterns over kyoto station';

describe('Show password', { skip }, () => {
  const s = suitePortal();
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /** Every password field of the page: its check box shows and hides it; axe before and after. */
  async function checkToggles(page: Page, lang: 'en' | 'ja', where: string, fields: number): Promise<void> {
    const label = catalogs[lang].account.setPassword.show;
    const inputs = page.locator('input[autocomplete$="-password"]');
    assert.equal(await inputs.count(), fields, `${where}: password fields`);
    const boxes = page.getByLabel(label, { exact: true });
    assert.equal(await boxes.count(), fields, `${where}: one "${label}" per field`);
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
    for (let i = 0; i < fields; i++) {
      const input = inputs.nth(i);
      await input.fill(`secret ${i}`);
      assert.equal(await input.getAttribute('type'), 'password');
      await boxes.nth(i).check();
      assert.equal(await input.getAttribute('type'), 'text', `${where}: field ${i} shown`);
      assert.equal(await input.inputValue(), `secret ${i}`, 'the entry is kept');
    }
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}, passwords shown`);
    await boxes.first().uncheck();
    assert.equal(await inputs.first().getAttribute('type'), 'password', `${where}: hidden again`);
  }

  /** Sign-in, then set password (from a link), then change password on My page. */
  async function everyPasswordPage(lang: 'en' | 'ja'): Promise<void> {
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    try {
      const page = await context.newPage();
      await page.goto(`${s.portal.url}/signin?lang=${lang}`);
      await checkToggles(page, lang, 'sign-in', 1);

      const linked = await createTestUser(s.h.db, { lang });
      const deps = { config: s.portal.config, db: s.h.db, now: () => new Date() };
      await s.h.db.transaction().execute((tx) => queueCompletionEmail(tx, deps, linked));
      const token = await queuedLinkToken(s.h.db, linked.email, s.portal.config.mail.secretKeys);
      await page.goto(`${s.portal.url}/password/set?token=${token}`);
      await page.waitForURL(`${s.portal.url}/password/set`);
      await checkToggles(page, lang, 'set password', 2);

      const user = await createTestUser(s.h.db, {
        lang,
        passwordHash: await hashPassword(PASSWORD),
        passwordSetAt: new Date(),
        passwordExpiresAt: new Date(Date.now() + 300 * 86_400_000),
      });
      await page.goto(`${s.portal.url}/signin?lang=${lang}`);
      await page.locator('input[name="userId"]').fill(user.id);
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page
        .locator('#signin-form button[type="submit"], #signin-form input[type="submit"]')
        .first()
        .click();
      await page.waitForURL(`${s.portal.url}/mypage`);
      await page.goto(`${s.portal.url}/mypage/password`);
      await checkToggles(page, lang, 'change password', 3);
    } finally {
      await context.close();
    }
  }

  test('sign-in, set and change password (en): the check box shows and hides each password', () =>
    everyPasswordPage('en'));
  test('sign-in, set and change password (ja): the check box shows and hides each password', () =>
    everyPasswordPage('ja'));

  test('without JavaScript the check box is not shown and the field stays a password field', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.goto(`${s.portal.url}/signin?lang=en`);
      const box = page.getByLabel(catalogs.en.account.setPassword.show, { exact: true });
      assert.equal(await box.count(), 1);
      assert.equal(await box.isVisible(), false);
      assert.equal(await page.locator('input[name="password"]').getAttribute('type'), 'password');
      // (axe needs JavaScript: the same page is checked with it above.)
    } finally {
      await context.close();
    }
  });
});
