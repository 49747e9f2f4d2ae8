// The manual's path (1.2, 1.3, the email, the password, sign-in, My page) with the keyboard
// alone — Tab, Shift+Tab, Enter, Space, arrow keys and typing; no clicks — at a 375-pixel-wide
// viewport: no page scrolls sideways, focus is visible on the key controls, a failed Confirm
// moves focus to the error summary and the error links lead to the fields. axe on the states
// this walk adds (375 px, the Search dialog reached by keyboard). In English and in Japanese.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { AUTH_PIN, SIGN_PASSWORD, startSystem, type TestSystem } from '../helpers/system.ts';
import { manual, passwordLink } from './walkthrough-phrases.ts';

const skip = browserUnavailable();
const WIDTH = 375;

/** Presses Tab (or Shift+Tab) until `target` has focus. */
async function tabTo(page: Page, target: Locator, options: { back?: boolean; max?: number } = {}) {
  const max = options.max ?? 80;
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${target} not reached with ${max} presses of ${options.back ? 'Shift+Tab' : 'Tab'}`);
}

async function activeId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.activeElement?.id);
}

/** The focused element draws a focus indicator: an outline or a box-shadow. */
async function assertFocusVisible(page: Page, where: string): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    return {
      what: `${el.tagName.toLowerCase()}#${el.id} ${el.textContent?.trim().slice(0, 30) ?? ''}`,
      outline: cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) > 0,
      shadow: cs.boxShadow !== 'none' && cs.boxShadow !== '',
    };
  });
  assert.ok(style, `${where}: something has focus`);
  assert.ok(style.outline || style.shadow, `${where}: focus indicator on ${style.what}`);
}

async function assertNoSideScroll(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= WIDTH, `${where}: the page is ${width} px wide at a ${WIDTH} px viewport`);
}

describe(`walkthrough: keyboard only, ${WIDTH} px wide`, { skip }, () => {
  let sys: TestSystem;
  let browser: Browser;

  before(async () => {
    [sys, browser] = await Promise.all([startSystem({ extraCards: ['taro-ja'] }), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await sys?.stop();
  });

  for (const [lang, card] of [
    ['en', 'default'],
    ['ja', 'taro-ja'],
  ] as const) {
    test(`${lang}: the manual's path by keyboard at ${WIDTH} px`, async () => {
      const m = manual[lang];
      const email = `keyboard-${lang}@ens-test.com`;
      await sys.insertCard(card);
      const context: BrowserContext = await browser.newContext({
        locale: lang === 'ja' ? 'ja-JP' : 'en-US',
        extraHTTPHeaders: { 'accept-language': lang },
        viewport: { width: WIDTH, height: 740 },
        hasTouch: false,
      });
      context.setDefaultTimeout(15_000);
      let page = await context.newPage();
      const check = async (where: string, axe = false) => {
        await assertNoSideScroll(page, where);
        if (axe) assert.deepEqual(await axeViolations(page), [], `axe on ${where} at ${WIDTH} px`);
      };
      try {
        // 1.2: the top page's button, by Tab and Enter.
        await page.goto(`${sys.portal.url}/`);
        await check('top page', true);
        const start = page.getByRole('button', { name: m.top.button, exact: true });
        await tabTo(page, start);
        await assertFocusVisible(page, 'top page button');
        await page.keyboard.press('Enter');

        // The client's dialogs: the password field has focus; Tab to OK, Enter.
        await page.getByText(m.dialog.signPrompt, { exact: true }).waitFor();
        assert.equal(await activeId(page), 'password');
        await assertFocusVisible(page, 'dialog 1 password field');
        await check('client dialog 1', true);
        await page.keyboard.type(SIGN_PASSWORD);
        await tabTo(page, page.getByRole('button', { name: m.dialog.ok, exact: true }));
        await assertFocusVisible(page, 'dialog 1 OK');
        await page.keyboard.press('Enter');
        await page.getByText(m.dialog.authPrompt, { exact: true }).waitFor();
        assert.equal(await activeId(page), 'password');
        await check('client dialog 2', true);
        await page.keyboard.type(AUTH_PIN);
        await page.keyboard.press('Enter'); // Enter in the field submits with OK, the form's first button

        // 1.3 STEP1: Confirm with nothing entered — focus moves to the error summary.
        await page.waitForURL(`${sys.portal.url}/registration/step1`);
        await check('STEP1', true);
        const confirm = page.locator('.actions').getByRole('button', { name: m.step1.confirm, exact: true });
        await tabTo(page, confirm);
        await assertFocusVisible(page, 'STEP1 Confirm');
        await page.keyboard.press('Enter');
        await page.waitForLoadState();
        await page.locator('#error-summary').waitFor();
        assert.equal(await activeId(page), 'error-summary', 'focus on the error summary after Confirm');
        await check('STEP1 with errors', true);
        const street = page.locator('#streetAddress');
        assert.equal(await street.getAttribute('aria-invalid'), 'true');
        assert.ok(
          (await street.getAttribute('aria-describedby'))?.split(' ').includes('streetAddress-error'),
        );

        // The first error link leads to the Search button; Enter opens the dialog.
        await page.keyboard.press('Tab');
        assert.equal(
          await page.evaluate(() => document.activeElement?.getAttribute('href')),
          '#municipality',
        );
        await assertFocusVisible(page, 'error summary link');
        await page.keyboard.press('Enter');
        assert.equal(await activeId(page), 'municipality', 'the error link moves focus to its field');
        await assertFocusVisible(page, 'Search button');
        await page.keyboard.press('Enter');
        const dialog = page.locator('#municipality-dialog');
        await dialog.waitFor();
        assert.ok(
          await dialog.evaluate((d) => d.contains(document.activeElement)),
          'focus moves into the Search dialog',
        );
        await check('Search dialog', true);
        const prefecture = page.locator('#dialog-prefecture');
        await tabTo(page, prefecture);
        for (let i = 0; i < 13; i++) await page.keyboard.press('ArrowDown'); // 01 Hokkaido … 13 Tokyo
        assert.equal(await prefecture.inputValue(), '13');
        await tabTo(page, page.locator('#dialog-search'));
        await page.keyboard.press('Enter');
        const ward = page.getByRole('button', { name: m.step1.municipality, exact: true });
        await ward.waitFor();
        await check('Search dialog with results', true);
        await tabTo(page, ward);
        await assertFocusVisible(page, 'a search result');
        await page.keyboard.press('Enter');
        await dialog.waitFor({ state: 'hidden' });
        assert.equal(await page.locator('#municipality-display').textContent(), m.step1.municipalityChosen);
        assert.equal(await activeId(page), 'municipality', 'focus returns to the Search button');

        const typeInto = async (id: string, value: string) => {
          await tabTo(page, page.locator(`#${id}`));
          await page.keyboard.type(value);
        };
        await typeInto('streetAddress', m.step1.street);
        await typeInto('telephone', '090-1234-5678');
        await typeInto('email', email);
        await typeInto('emailConfirm', email);
        await tabTo(page, page.locator('#userCategory'));
        await assertFocusVisible(page, 'User category');
        await page.keyboard.press('ArrowDown');
        assert.equal(await page.locator('#userCategory').inputValue(), 'foreign_national');
        await typeInto('residenceCardNumber', 'AB12345678CD');
        const agree = page.locator('#termsAgreed');
        await tabTo(page, agree);
        await assertFocusVisible(page, 'the terms check box');
        await page.keyboard.press('Space');
        assert.ok(await agree.isChecked());
        // Shift+Tab back up to the telephone field and forward again: nothing is lost.
        await tabTo(page, page.locator('#telephone'), { back: true });
        await tabTo(page, confirm);
        await page.keyboard.press('Enter');

        // STEP2 → Registration → STEP3 → Back to Top page.
        await page.waitForURL(`${sys.portal.url}/registration/step2`);
        await check('STEP2', true);
        const register = page.getByRole('button', { name: m.step2.register, exact: true });
        await tabTo(page, register);
        await assertFocusVisible(page, 'Registration');
        await page.keyboard.press('Enter');
        await page.waitForURL(`${sys.portal.url}/registration/complete`);
        await check('STEP3', true);
        const shown = m.step3.userId.exec((await page.locator('main').textContent()) ?? '');
        assert.ok(shown);
        const userId = shown[1]!;
        const backToTop = page.getByRole('link', { name: m.step3.backToTop, exact: true });
        await tabTo(page, backToTop);
        await assertFocusVisible(page, 'Back to Top page');
        await page.keyboard.press('Enter');
        await page.waitForURL(`${sys.portal.url}/`);

        // The email: inbox → message → the link in the HTML part (opens a new tab).
        await sys.catcher.waitFor((msg) => msg.envelopeTo.includes(email), 15_000);
        await page.goto(sys.catcher.url);
        await check('mail catcher inbox');
        const subject = page.locator(`tr:has-text("${email}") a`).first();
        await tabTo(page, subject);
        await assertFocusVisible(page, 'inbox message link');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/messages\/\d+$/);
        await check('mail catcher message');
        const link = passwordLink((await page.locator('#text-body').textContent()) ?? '', sys.portal.url);
        // The frame has no scripts (sandboxed): ask the selector engine whether the link has focus.
        const focusedLink = page.frameLocator('iframe[sandbox]').locator(`a[href="${link}"]:focus`);
        let reached = false;
        for (let i = 0; i < 40 && !reached; i++) {
          await page.keyboard.press('Tab');
          reached = (await focusedLink.count()) > 0;
        }
        assert.ok(reached, 'the password link in the email is reached with Tab');
        const [next] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
        await page.close();
        page = next;

        // The password, then sign-in and My page.
        await page.waitForURL(`${sys.portal.url}/password/set`);
        await check('set-password page');
        const password = `quiet ${lang} lanterns drift over the harbour`;
        await tabTo(page, page.locator('#password'));
        await assertFocusVisible(page, 'new password field');
        await page.keyboard.type(password);
        await tabTo(page, page.locator('#confirm'));
        await page.keyboard.type(password);
        // Tab to the button, as a keyboard user who checks before sending would.
        const setButton = page.getByRole('button', { name: m.password.submit, exact: true });
        await tabTo(page, setButton);
        await assertFocusVisible(page, 'Set password');
        await page.keyboard.press('Enter');
        await page.waitForURL(`${sys.portal.url}/signin`).catch(async (err: Error) => {
          const summary = await page
            .locator('#error-summary')
            .textContent()
            .catch(() => null);
          throw summary ? new Error(`the password was refused: ${summary}`) : err;
        });
        await check('sign-in page');
        await tabTo(page, page.locator('#userId'));
        await page.keyboard.type(userId);
        await tabTo(page, page.locator('#password'));
        await page.keyboard.type(password);
        await tabTo(page, page.locator('#signin-form').getByRole('button', { name: m.signIn, exact: true }));
        await assertFocusVisible(page, 'Sign in');
        await page.keyboard.press('Enter');
        await page.waitForURL(`${sys.portal.url}/mypage`);
        assert.equal((await page.locator('h1').textContent())?.trim(), m.myPage);
        await check('My page', true);
      } finally {
        await context.close();
      }
    });
  }

  test('Enter in a text field submits the page’s own form (implicit submission)', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'accept-language': 'en' } });
    try {
      const page = await context.newPage();
      await page.goto(`${sys.portal.url}/signin`);
      await page.locator('#userId').fill('AAAA-BBBB-CCCC');
      await page.locator('#password').fill('not the password');
      await page.locator('#password').press('Enter');
      await page.waitForLoadState();
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'still in English after Enter');
      assert.match(
        (await page.locator('main').textContent()) ?? '',
        /The User ID or password is incorrect/,
        'the sign-in was attempted',
      );
    } finally {
      await context.close();
    }
  });
});
