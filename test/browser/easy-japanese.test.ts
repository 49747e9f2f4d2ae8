// Easy Japanese (ja-easy) in Chromium, end to end: the manual's registration walk (top page →
// the client software's two dialogs → STEP1–STEP3 → email → password → sign in → My page) with the
// language chosen in the switch. On every page: axe at zero, every kanji inside <ruby> (except text
// marked as another language), and the screen-reader check — no accessible name carries a reading
// after its kanji (the <rt> is aria-hidden). UPDATE_SCREENSHOTS=1 writes docs/screenshots/ja-easy-*.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { catalogs as clientCatalogs } from '../../client/i18n/index.ts';
import { plainText } from '../../design/readings.ts';
import { catalogs } from '../../portal/i18n/index.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { AUTH_PIN, SIGN_PASSWORD, startSystem, type TestSystem } from '../helpers/system.ts';
import { passwordLink } from './walkthrough-phrases.ts';

const skip = browserUnavailable();
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const shotsDir = path.resolve(import.meta.dirname, '../../docs/screenshots');
const t = catalogs['ja-easy'];
const c = clientCatalogs['ja-easy'];
/** A phrase as a reader sees it with readings hidden from the text (the accessible name). */
const p = (s: string) => plainText(s);
/**
 * A name for getByRole. Playwright computes names itself and puts a space around each <ruby>
 * ("やさしい 日本語"), where Chromium's accessibility tree — what screen readers get, checked in
 * check() below — has "やさしい日本語": the regex takes both.
 */
const nm = (s: string, whole = true) => {
  const chars = [...p(s).replace(/\s+/g, '')].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const body = chars.join('\\s*');
  return new RegExp(whole ? `^${body}$` : body);
};

interface PageReport {
  /** Text nodes with kanji outside <ruby> and outside elements marked with another lang. */
  bareKanji: string[];
  /** Every ruby on the page as base + reading. */
  rubies: Array<[string, string]>;
}

/** Reads the rendered DOM (after scripts): kanji outside ruby, and the rubies. */
async function report(page: Page): Promise<PageReport> {
  return page.evaluate(() => {
    const kanji = /[\p{Script=Han}々〆ヶ]/u;
    const bareKanji: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      if (!kanji.test(text)) continue;
      const parent = node.parentElement;
      // <option> holds text only (no <ruby> possible): plain there, as in <title> and attributes.
      if (!parent || parent.closest('ruby, script, style, template, option')) continue;
      // Text in another language: the name 日本語 of standard Japanese in the switch, the
      // authoritative Terms of Use — marked lang="ja" below the page's own <html lang>.
      const marked = parent.closest('[lang]');
      if (marked && marked !== document.documentElement) continue;
      // Hidden text (a closed dialog's template) is not read.
      if (parent.closest('[hidden]')) continue;
      bareKanji.push(text.trim());
    }
    const rubies = [...document.querySelectorAll('ruby')].map((r) => {
      const rt = r.querySelector('rt')?.textContent ?? '';
      const base = [...r.childNodes]
        .filter((n) => n.nodeName !== 'RT' && n.nodeName !== 'RP')
        .map((n) => n.textContent)
        .join('');
      return [base, rt] as [string, string];
    });
    return { bareKanji, rubies };
  });
}

/** Accessible names of the page's nodes as Chromium gives them to screen readers. */
async function accessibleNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: Array<{ ignored?: boolean; name?: { value?: string }; role?: { value?: string } }>;
    };
    return nodes
      .filter((n) => !n.ignored && n.role?.value !== 'StaticText' && n.role?.value !== 'InlineTextBox')
      .map((n) => String(n.name?.value ?? ''))
      .filter(Boolean);
  } finally {
    await cdp.detach();
  }
}

describe('Easy Japanese walkthrough (ja-easy, 1200 px)', { skip }, () => {
  let sys: TestSystem;
  let browser: Browser;
  const checked: string[] = [];
  const rubyCount: Record<string, number> = {};

  before(async () => {
    [sys, browser] = await Promise.all([startSystem(), launchBrowser()]);
    if (SCREENSHOTS) mkdirSync(shotsDir, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await sys?.stop();
  });

  /** axe, kanji in ruby, names without readings, and the screenshot. */
  async function check(page: Page, n: number, step: string, fullPage = true): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${step}`);
    const r = await report(page);
    assert.deepEqual(r.bareKanji, [], `${step}: kanji outside <ruby>`);
    assert.ok(r.rubies.length > 0, `${step}: readings shown`);
    rubyCount[step] = r.rubies.length;
    const names = await accessibleNames(page);
    const doubled = names.filter((name) =>
      r.rubies.some(
        ([base, reading]) => name.includes(`${base}${reading}`) || name.includes(`${base} ${reading}`),
      ),
    );
    assert.deepEqual(doubled, [], `${step}: accessible names with a reading after the kanji`);
    checked.push(step);
    if (SCREENSHOTS) {
      await page.screenshot({
        path: path.join(shotsDir, `ja-easy-${String(n).padStart(2, '0')}-${step}.png`),
        fullPage,
        animations: 'disabled',
        caret: 'hide',
      });
    }
  }

  test('register, receive the email, set the password, sign in — all in Easy Japanese', async () => {
    const email = 'walkthrough-ja-easy@ens-test.com';
    await sys.insertCard('default');
    const context = await browser.newContext({
      locale: 'ja-JP',
      extraHTTPHeaders: { 'accept-language': 'ja' },
      viewport: { width: 1200, height: 900 },
      deviceScaleFactor: 1,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      // The top page in standard Japanese (the browser's language); Easy Japanese from the switch.
      await page.goto(`${sys.portal.url}/`);
      await page
        .getByRole('navigation', { name: catalogs.ja.common.languageSwitchLabel })
        .getByRole('link', { name: nm(t.common.langName) })
        .click();
      await page.waitForURL(`${sys.portal.url}/`);
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      assert.equal(
        ((await page.locator('h1').textContent()) ?? '').includes('ざいりゅうしんせい'),
        true,
        'readings shown',
      );
      // The screen-reader view: the button is named by its kanji only, as the manual writes it.
      const button = page.getByRole('button', { name: nm(t.common.home.applicantButton) });
      assert.equal(await button.count(), 1);
      assert.ok((await accessibleNames(page)).includes(catalogs.ja.common.home.applicantButton));
      assert.equal(p(t.common.home.applicantButton), catalogs.ja.common.home.applicantButton);
      await check(page, 1, 'top');
      if (SCREENSHOTS) {
        await page.screenshot({ path: path.join(shotsDir, 'top-ja-easy.png'), animations: 'disabled' });
      }

      // Readings off and on again, without script (a link and a cookie).
      await page.getByRole('link', { name: t.common.readings.hide, exact: true }).click();
      await page.waitForURL(`${sys.portal.url}/`);
      assert.equal(await page.locator('ruby').count(), 0);
      assert.equal(await page.locator('h1').textContent(), p(t.common.home.title));
      if (SCREENSHOTS) {
        await page.screenshot({
          path: path.join(shotsDir, 'ja-easy-02-top-no-readings.png'),
          animations: 'disabled',
        });
      }
      await page.getByRole('link', { name: t.common.readings.show, exact: true }).click();
      await page.waitForURL(`${sys.portal.url}/`);
      assert.ok((await page.locator('ruby').count()) > 0);

      // The client software's dialogs, in Easy Japanese (the portal passes the language).
      await button.click();
      await page.waitForURL((u) => u.origin === sys.client.url && u.pathname.startsWith('/dialog/'));
      await page.getByRole('heading', { name: nm(c.dialog.title) }).waitFor();
      await page.locator('#password').fill(SIGN_PASSWORD);
      await check(page, 3, 'sign-password');
      await page.getByRole('button', { name: c.dialog.ok, exact: true }).click();
      await page.locator('label[for="password"]', { hasText: '4けた' }).waitFor();
      await page.locator('#password').fill(AUTH_PIN);
      await check(page, 4, 'user-id-pin');
      await page.getByRole('button', { name: c.dialog.ok, exact: true }).click();

      // STEP1: the official field names with an easy explanation beside them.
      await page.waitForURL(`${sys.portal.url}/registration/step1`);
      const s1 = t.registration.step1;
      assert.equal(await page.getByRole('textbox', { name: nm(s1.streetAddress.label, false) }).count(), 1);
      await check(page, 5, 'step1');
      await page.getByRole('button', { name: nm(s1.confirm) }).click();
      await page.waitForLoadState();
      assert.ok((await page.title()).startsWith(`${t.common.errorTitlePrefix}: `));
      await check(page, 6, 'step1-errors');

      // The Search dialog (script): the municipality names with readings from the data set.
      await page.locator('#municipality').click();
      await page.locator('#dialog-prefecture').selectOption('13');
      await page.locator('#dialog-search').click();
      const shinjuku = page.getByRole('button', { name: '新宿区', exact: true });
      await shinjuku.waitFor();
      assert.equal(
        await page.locator('#dialog-results ruby').first().locator('rt').textContent(),
        'ちよだく',
      );
      await check(page, 7, 'search', false);
      await shinjuku.click();
      const display = page.locator('#municipality-display');
      assert.equal(await display.locator('rt').last().textContent(), 'しんじゅくく');
      assert.equal(
        await display.evaluate((e) => {
          const copy = e.cloneNode(true) as HTMLElement;
          for (const rt of copy.querySelectorAll('rt')) rt.remove();
          return copy.textContent;
        }),
        `${t.registration.step1.municipality.chosen}東京都新宿区`,
      );

      await page.locator('#streetAddress').fill('1-2-3');
      await page.locator('#telephone').fill('090-1234-5678');
      await page.locator('#email').fill(email);
      await page.locator('#emailConfirm').fill(email);
      await page.locator('#userCategory').selectOption('foreign_national');
      await page.locator('#residenceCardNumber').fill('AB12345678CD');

      // On a form page the readings switch submits the form like the language switch: entries kept.
      await page.getByRole('button', { name: t.common.readings.hide, exact: true }).click();
      await page.getByRole('button', { name: t.common.readings.show, exact: true }).waitFor();
      assert.equal(await page.locator('ruby').count(), 0);
      assert.equal(await page.locator('#streetAddress').inputValue(), '1-2-3');
      assert.equal(await page.locator('#email').inputValue(), email);
      await page.getByRole('button', { name: t.common.readings.show, exact: true }).click();
      await page.getByRole('button', { name: t.common.readings.hide, exact: true }).waitFor();
      assert.ok((await page.locator('ruby').count()) > 0);

      // The Terms of Use: the easy summary, the authoritative text one link away.
      const [terms] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('link', { name: nm(s1.terms.link, false) }).click(),
      ]);
      await terms.waitForLoadState();
      await check(terms, 8, 'terms');
      await terms.getByRole('link', { name: nm(t.terms.authoritative.link) }).click();
      await terms.waitForURL(`${sys.portal.url}/terms?text=ja`);
      assert.ok(((await terms.locator('main').textContent()) ?? '').includes(catalogs.ja.terms.intro));
      await check(terms, 9, 'terms-authoritative');
      await terms.close();

      await page.getByRole('checkbox', { name: nm(s1.terms.agree) }).check();
      await page.getByRole('button', { name: nm(s1.confirm) }).click();

      // STEP2: the date of birth in the Western calendar with readings.
      await page.waitForURL(`${sys.portal.url}/registration/step2`);
      assert.ok(((await page.locator('main').textContent()) ?? '').includes('1990'));
      assert.ok(await page.locator('main ruby', { hasText: '1日' }).count(), 'the 1st read ついたち');
      await check(page, 10, 'step2');
      await page.getByRole('button', { name: nm(t.registration.step2.register) }).click();

      // STEP3.
      await page.waitForURL(`${sys.portal.url}/registration/complete`);
      const main = (await page.locator('main').textContent()) ?? '';
      const userId = /\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/.exec(main)?.[1];
      assert.ok(userId, `STEP3 shows the User ID: ${main}`);
      await check(page, 11, 'step3');

      // The email, in Easy Japanese with standard Japanese below.
      const caught = await sys.catcher.waitFor((msg) => msg.envelopeTo.includes(email), 15_000);
      assert.ok(caught.html?.includes('<ruby>'), 'the HTML part has readings');
      const mailPage = await context.newPage();
      await mailPage.setContent(caught.html ?? '');
      assert.deepEqual(await axeViolations(mailPage), [], 'axe on the email');
      if (SCREENSHOTS) {
        await mailPage.screenshot({
          path: path.join(shotsDir, 'ja-easy-12-email.png'),
          fullPage: true,
          animations: 'disabled',
        });
      }
      await mailPage.close();
      await page.goto(sys.catcher.url);
      await page
        .getByRole('link', { name: p(t.account.mail.registrationComplete.subject) })
        .first()
        .click();
      await page.waitForURL(/\/messages\/\d+$/);
      const body = (await page.locator('#text-body').textContent()) ?? '';
      assert.ok(body.includes('登録(とうろく)'), 'the text part gives readings in brackets');
      const link = passwordLink(body, sys.portal.url);

      // The password, then sign in and My page.
      await page.goto(link);
      await page.waitForURL(`${sys.portal.url}/password/set`);
      const password = 'lanterns easy over the quiet harbour';
      await page.locator('#password').fill(password);
      await page.locator('#confirm').fill(password);
      await check(page, 13, 'set-password');
      await page.getByRole('button', { name: nm(t.account.setPassword.submit) }).click();
      await page.waitForURL(`${sys.portal.url}/signin`);
      await page.locator('#userId').fill(userId);
      await page.locator('#password').fill(password);
      await check(page, 14, 'signin');
      await page
        .locator('#signin-form')
        .getByRole('button', { name: t.account.signin.submit, exact: true })
        .click();
      await page.waitForURL(`${sys.portal.url}/mypage`);
      assert.ok(((await page.locator('main').textContent()) ?? '').includes('HOUMU TARO'));
      await check(page, 15, 'mypage');
    } finally {
      await context.close();
    }
    assert.equal(checked.length, 13);
  });
});
