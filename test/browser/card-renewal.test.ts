// A renewed card in Chromium against the whole system (decision 0702), in English and Japanese
// with axe on every page and state: the renewed card at registration (STEP1's hint), then My
// page's "Use a new Individual Number card" with the user client software's dialog, the notice
// email, sign-in with the new card, and the same card refused for another account.
// Screenshots to look at: RENEWAL_SHOTS=/tmp/dir.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadCardFile } from '../../card/emulator/card-file.ts';
import { pkiPaths } from '../../card/pki/dev-pki.ts';
import { cardFilePath } from '../../card/pki/issue.ts';
import { hashPassword } from '../../portal/domain/password-hash.ts';
import { formatUserId } from '../../portal/domain/user-id.ts';
import { catalogs } from '../../portal/i18n/index.ts';

/** This test walks the two languages the manual is written in. */
type Lang = 'ja' | 'en';

import { linkUserCard } from '../../portal/store/user-cards.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { splitCertificate } from '../helpers/cert-variants.ts';
import { AUTH_PIN, SIGN_PASSWORD, startSystem, type TestSystem } from '../helpers/system.ts';
import { createTestUser } from '../portal/account/helpers.ts';
import { manual } from './walkthrough-phrases.ts';

const skip = browserUnavailable();
const SHOTS = process.env.RENEWAL_SHOTS;
const PASSWORD = 'lanterns over the quiet harbour';

describe('a renewed Individual Number card in a real browser', { skip }, () => {
  let sys: TestSystem;
  let browser: Browser;
  let passwordHash: string;

  before(async () => {
    [sys, browser, passwordHash] = await Promise.all([
      // ja: an old and a renewed card of its own (a card links to one account only).
      startSystem({ extraCards: ['taro-ja-old', 'taro-ja-renewed'] }),
      launchBrowser(),
      hashPassword(PASSWORD),
    ]);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function noViolations(page: Page, where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }
  async function shot(page: Page, name: string): Promise<void> {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }
  async function text(page: Page): Promise<string> {
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
    return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  }

  /** An account registered with `cardId`, with a password, in `lang`. */
  async function account(cardId: string, lang: Lang, email: string) {
    const user = await createTestUser(sys.db.db, {
      lang,
      email,
      passwordHash,
      passwordSetAt: new Date(),
      passwordExpiresAt: new Date(Date.now() + 365 * 86_400_000),
    });
    const card = await loadCardFile(cardFilePath(pkiPaths(sys.dataDir).cardsDir, cardId));
    const der = new Uint8Array(Buffer.from(card.auth.certificate, 'base64'));
    await linkUserCard(sys.db.db, {
      identity: createHash('sha256').update(splitCertificate(der).tbs).digest('hex'),
      fingerprint: createHash('sha256').update(der).digest('hex'),
      userId: user.id,
      serial: '1',
      draftId: `d-${user.id}`,
    });
    return user;
  }

  async function open(lang: Lang): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-US',
      extraHTTPHeaders: { 'accept-language': lang },
      viewport: { width: 1200, height: 900 },
    });
    context.setDefaultTimeout(15_000);
    return { context, page: await context.newPage() };
  }

  async function signIn(page: Page, lang: Lang, userId: string): Promise<void> {
    await page.goto(`${sys.portal.url}/signin`);
    await page.locator('#userId').fill(userId);
    await page.locator('#password').fill(PASSWORD);
    await page
      .locator('#signin-form')
      .getByRole('button', { name: manual[lang].signIn, exact: true })
      .click();
    await page.waitForURL(`${sys.portal.url}/mypage`);
  }

  /** The client's one dialog in authenticate mode: the user ID PIN. */
  async function enterUserIdPin(page: Page, lang: Lang): Promise<void> {
    const m = manual[lang];
    await page.waitForURL((u) => u.origin === sys.client.url && u.pathname.startsWith('/dialog/'));
    await page.getByText(m.dialog.authPrompt, { exact: true }).waitFor();
    await page.locator('#password').fill(AUTH_PIN);
    await page.getByRole('button', { name: m.dialog.ok, exact: true }).click();
  }

  for (const [lang, oldCard, newCard] of [
    ['en', 'default', 'renewed'],
    ['ja', 'taro-ja-old', 'taro-ja-renewed'],
  ] as const) {
    test(`${lang}: the renewed card at STEP1, then linked on My page`, async () => {
      const t = catalogs[lang];
      const c = t.cardRenewal;
      const m = manual[lang];
      const email = `renewal-${lang}@ens-test.com`;
      const user = await account(oldCard, lang, email);
      await sys.insertCard(newCard);
      const { context, page } = await open(lang);
      try {
        // Registering again with the renewed card: STEP1 says they may already be registered.
        await page.goto(`${sys.portal.url}/`);
        await page.getByRole('button', { name: m.top.button, exact: true }).click();
        await page.waitForURL((u) => u.origin === sys.client.url && u.pathname.startsWith('/dialog/'));
        await page.locator('#password').fill(SIGN_PASSWORD);
        await page.getByRole('button', { name: m.dialog.ok, exact: true }).click();
        await page.getByText(m.dialog.authPrompt, { exact: true }).waitFor();
        await page.locator('#password').fill(AUTH_PIN);
        await page.getByRole('button', { name: m.dialog.ok, exact: true }).click();
        await page.waitForURL(`${sys.portal.url}/registration/step1`);
        const hint = page.locator('#renewal-hint');
        assert.ok(await hint.getByRole('heading', { name: c.step1Hint.title }).isVisible());
        assert.ok((await text(page)).includes(c.step1Hint.text));
        assert.ok(await page.locator('#step1-form').isVisible(), 'the hint does not block registration');
        await noViolations(page, 'STEP1 with the renewal hint');
        await shot(page, `${lang}-step1-hint`);

        // The hint's link: sign in with User ID and password, then My page's new link.
        await hint.getByRole('link', { name: c.step1Hint.signIn }).click();
        await page.waitForURL(`${sys.portal.url}/signin`);
        await signIn(page, lang, formatUserId(user.id));
        await page.getByRole('link', { name: c.myPageLink, exact: true }).click();
        await page.waitForURL(`${sys.portal.url}/mypage/card`);
        assert.equal((await page.locator('h1').textContent())?.trim(), c.page.title);
        await noViolations(page, 'Use a new Individual Number card');
        await shot(page, `${lang}-renew-page`);

        // The current password is asked first.
        await page.getByRole('button', { name: c.page.submit, exact: true }).click();
        await page.waitForURL(`${sys.portal.url}/mypage/card`);
        assert.ok(await page.locator('#error-summary').isVisible());
        await noViolations(page, 'Use a new Individual Number card, password missing');
        await page.locator('#currentPassword').fill(PASSWORD);
        await page.getByRole('button', { name: c.page.submit, exact: true }).click();
        await enterUserIdPin(page, lang);

        // Back on My page: linked.
        await page.waitForURL(`${sys.portal.url}/mypage`);
        assert.equal((await page.locator('#notice > p').first().textContent())?.trim(), c.notices.renewed);
        await noViolations(page, 'My page after the renewal');
        await shot(page, `${lang}-mypage-renewed`);
        await page.getByRole('link', { name: c.myPageLink, exact: true }).click();
        const history = await page.locator('#card-history-list li').allTextContents();
        assert.equal(history.length, 2, 'the old card stays in the history');
        await noViolations(page, 'the page with the card history');
        await shot(page, `${lang}-renew-history`);

        // The notice email, to the registered address, in the user's language first.
        const mail = await sys.catcher.waitFor((msg) => msg.envelopeTo.includes(email));
        assert.ok(mail.subject.startsWith(`${t.account.mail.subjectPrefix}${c.mail.subject}`));
        const mailPage = await context.newPage();
        await mailPage.setContent(mail.html ?? '');
        await noViolations(mailPage, 'the notice email');
        await mailPage.close();
        const events = await sys.db.db
          .selectFrom('audit_events')
          .select('event')
          .where('user_id', '=', user.id)
          .where('event', '=', 'card.renewed')
          .execute();
        assert.equal(events.length, 1);

        // Signed out, the new card signs in.
        await page.goto(`${sys.portal.url}/mypage`);
        await page.getByRole('button', { name: t.account.signout.button, exact: true }).click();
        await page.goto(`${sys.portal.url}/signin`);
        await page.getByRole('button', { name: t.account.signin.cardButton, exact: true }).click();
        await enterUserIdPin(page, lang);
        await page.waitForURL(`${sys.portal.url}/mypage`);
        assert.ok((await text(page)).includes(formatUserId(user.id)));
      } finally {
        await context.close();
      }

      // Another account cannot take the card.
      const other = await account(
        lang === 'en' ? 'kanji' : 'auth-one-try',
        lang,
        `other-${lang}@ens-test.com`,
      );
      const second = await open(lang);
      try {
        await signIn(second.page, lang, formatUserId(other.id));
        await second.page.goto(`${sys.portal.url}/mypage/card`);
        await second.page.locator('#currentPassword').fill(PASSWORD);
        await second.page.getByRole('button', { name: c.page.submit, exact: true }).click();
        await enterUserIdPin(second.page, lang);
        await second.page.waitForURL(`${sys.portal.url}/mypage/card`);
        assert.equal(
          (await second.page.locator('#notice > p').first().textContent())?.trim(),
          c.notices.otherAccount,
        );
        await noViolations(second.page, 'a card linked to another account');
        await shot(second.page, `${lang}-renew-refused`);
      } finally {
        await second.context.close();
      }
    });
  }
});
