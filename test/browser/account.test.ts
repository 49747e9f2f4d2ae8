// From the completion email in the mail catcher to setting the password, signing in, My page
// and signing out, in Japanese and English, with axe on every page (the catcher's too).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { type MailCatcher, startMailCatcher } from '../../mailcatcher/catcher.ts';
import { formatUserId } from '../../portal/domain/user-id.ts';
import { queueCompletionEmail } from '../../portal/flows/registration/completion-email.ts';
import { OutboxWorker } from '../../portal/mail/worker.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { startPortal, type TestPortal } from '../helpers/server.ts';
import { createTestUser, quietLogger } from '../portal/account/helpers.ts';

const skip = browserUnavailable();

async function noViolations(page: Page, where: string): Promise<void> {
  if (process.env.DEBUG_STEPS) console.log(new Date().toISOString(), where);
  assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
}

/**
 * The catcher's message page: axe cannot run inside the sandboxed frame (scripts are off there,
 * by design), so the page is checked without frames and the email's HTML on a page of its own.
 */
async function noViolationsOutsideFrames(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .setLegacyMode(true)
    .options({ iframes: false })
    .analyze();
  assert.deepEqual(
    result.violations.map((v) => v.id),
    [],
    `axe on ${where}`,
  );
}

const phrases = {
  ja: {
    subject: '利用者情報登録完了のお知らせ',
    setTitle: 'パスワードの設定',
    newPassword: '新しいパスワード',
    confirm: '新しいパスワード（確認）',
    setButton: 'パスワードを設定',
    tooCommon: '推測されやすいパスワード',
    setDone: 'パスワードを設定しました',
    userId: '利用者ID',
    password: 'パスワード',
    signIn: 'ログイン',
    myPage: 'マイページ',
    signOut: 'ログアウト',
    signedOut: 'ログアウトしました。',
    wrong: '利用者IDまたはパスワードが正しくありません',
  },
  en: {
    subject: 'User registration complete',
    setTitle: 'Set your password',
    newPassword: 'New password',
    confirm: 'New password (confirm)',
    setButton: 'Set password',
    tooCommon: 'easy to guess',
    setDone: 'Your password has been set',
    userId: 'User ID',
    password: 'Password',
    signIn: 'Sign in',
    myPage: 'My page',
    signOut: 'Sign out',
    signedOut: 'You have signed out.',
    wrong: 'The User ID or password is incorrect',
  },
} as const;

describe('account pages in a real browser', { skip }, () => {
  let h: DatabaseHandle;
  let portal: TestPortal;
  let catcher: MailCatcher;
  let worker: OutboxWorker;
  let browser: Browser;

  before(async () => {
    h = await openTestDatabase('pglite');
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    portal = await startPortal(h.db, { SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}` });
    worker = new OutboxWorker({
      db: h.db,
      config: portal.config,
      logger: quietLogger(),
      pollMs: 50,
    });
    worker.start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await portal?.close();
    await catcher?.close();
    await h?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    test(`${lang}: email → set password → sign in → My page → sign out`, async () => {
      const p = phrases[lang];
      const user = await createTestUser(h.db, { lang, email: `browser-${lang}@example.com` });
      await h.db
        .transaction()
        .execute((tx) =>
          queueCompletionEmail(tx, { config: portal.config, db: h.db, now: () => new Date() }, user),
        );
      await catcher.waitFor((m) => m.envelopeTo.includes(user.email));

      const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
      const page = await context.newPage();

      // The mail catcher: inbox, then the message (text and sandboxed HTML).
      await page.goto(catcher.url);
      await noViolations(page, 'the mail catcher inbox');
      await page
        .getByRole('link', { name: new RegExp(p.subject) })
        .first()
        .click();
      await page.waitForURL(/\/messages\/\d+$/);
      const frame = page.frameLocator('iframe[sandbox]');
      assert.ok(
        await frame.getByText(formatUserId(user.id)).first().isVisible(),
        'the HTML part shows the User ID',
      );
      await noViolationsOutsideFrames(page, 'the message page');
      const mail = catcher.messages.find((m) => m.envelopeTo.includes(user.email));
      const mailPage = await context.newPage();
      await mailPage.setContent(mail?.html ?? '');
      await noViolations(mailPage, 'the email’s HTML');
      await mailPage.close();
      const body = (await page.locator('#text-body').textContent()) ?? '';
      const link = /http:\/\/127\.0\.0\.1:\d+\/password\/set\?token=[A-Za-z0-9_-]{43}/.exec(body)?.[0];
      assert.ok(link, 'the email carries the link');

      // Setting the password: a refused one first, then a passphrase.
      await page.goto(link);
      await page.waitForURL(`${portal.url}/password/set`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal((await page.locator('h1').textContent())?.trim(), p.setTitle);
      await noViolations(page, 'the password page');
      await page.getByLabel(p.newPassword, { exact: false }).first().fill('password123');
      await page.getByLabel(p.confirm).fill('password123');
      await page.getByRole('button', { name: p.setButton }).click();
      assert.ok(await page.getByText(p.tooCommon).first().isVisible());
      await noViolations(page, 'the password page with an error');
      const passphrase = `lanterns ${lang} over the quiet harbour`;
      await page.locator('#password').fill(passphrase);
      await page.locator('#confirm').fill(passphrase);
      await page.getByRole('button', { name: p.setButton }).click();
      await page.waitForURL(`${portal.url}/signin`);
      assert.ok(await page.getByText(p.setDone).isVisible());
      await noViolations(page, 'the sign-in page');

      // A wrong password, then the right one.
      await page.locator('#userId').fill(user.id);
      await page.locator('#password').fill('not the password at all');
      await page.locator('#signin-form').getByRole('button', { name: p.signIn }).click();
      assert.ok(await page.getByText(p.wrong).isVisible());
      await noViolations(page, 'the sign-in page with an error');
      await page.locator('#password').fill(passphrase);
      await page.locator('#signin-form').getByRole('button', { name: p.signIn }).click();
      await page.waitForURL(`${portal.url}/mypage`);
      assert.equal((await page.locator('h1').textContent())?.trim(), p.myPage);
      assert.ok(await page.getByText('AB******78CD').isVisible());
      await noViolations(page, 'My page');

      await page.getByRole('link', { name: lang === 'ja' ? 'パスワードの変更' : 'Change password' }).click();
      await noViolations(page, 'the change-password page');
      await page.goBack();
      await page
        .getByRole('link', { name: lang === 'ja' ? 'メールアドレスの変更' : 'Change email address' })
        .click();
      await noViolations(page, 'the change-email page');
      await page.goBack();

      await page.getByRole('button', { name: p.signOut }).click();
      await page.waitForURL(`${portal.url}/signin`);
      assert.ok(await page.getByText(p.signedOut).isVisible());
      await page.goto(`${portal.url}/mypage`);
      await page.waitForURL(`${portal.url}/signin`);

      // The link again: used. Then the forgotten-password and User ID pages.
      await page.goto(link);
      await noViolations(page, 'the used-link page');
      await page.goto(`${portal.url}/password/forgot`);
      await noViolations(page, 'the forgotten-password page');
      await page.goto(`${portal.url}/recover-user-id`);
      await noViolations(page, 'the forgotten-User-ID page');
      await context.close();
    });
  }
});
