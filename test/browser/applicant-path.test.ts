// Issue 15 in Chromium against the whole system (portal, user client software with the virtual
// reader and its demo cards, mail catcher): what an applicant meets on the way, as they see it.
// A second card read on the same PC, the space under the header, the client's status page and
// dialog, STEP1's Terms block, the Search dialog (a long list, a lookup that fails), STEP2's
// telephone number and STEP3's email address. Axe on every state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { catalogs, type Lang } from '../../portal/i18n/index.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { cardStepInBrowser, startSystem, type TestSystem } from '../helpers/system.ts';

const skip = browserUnavailable();

describe('the applicant’s path (issue 15)', { skip }, () => {
  let sys: TestSystem;
  let browser: Browser;

  before(async () => {
    [sys, browser] = await Promise.all([startSystem(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function open(lang: Lang, width = 1200): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-US',
      extraHTTPHeaders: { 'accept-language': lang },
      viewport: { width, height: 800 },
    });
    context.setDefaultTimeout(15_000);
    return { context, page: await context.newPage() };
  }

  async function noViolations(page: Page, where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }

  /** Pixels between the bottom of the header's blue rule and the top of the first thing under it. */
  async function gapUnderHeader(page: Page, selector: string): Promise<number> {
    const header = await page.locator('header').first().boundingBox();
    const below = await page.locator(selector).first().boundingBox();
    assert.ok(header && below);
    return below.y - (header.y + header.height);
  }

  const cardStep = (page: Page, lang: Lang, check?: (page: Page) => Promise<void>) =>
    cardStepInBrowser(sys, page, lang, check);

  async function fillStep1(
    page: Page,
    email: string,
    telephone = '０９０－１２３４－５６７８',
  ): Promise<void> {
    await page.goto(`${sys.portal.url}/registration/municipality-search?prefecture=13`);
    await page.locator('button[name="municipalityCode"][value="131041"]').click();
    await page.waitForURL(/\/registration\/step1/);
    await page.locator('#streetAddress').fill('Nishishinjuku 2-8-1');
    await page.locator('#telephone').fill(telephone);
    await page.locator('#email').fill(email);
    await page.locator('#emailConfirm').fill(email);
    await page.locator('#userCategory').selectOption('foreign_national');
    await page.locator('#residenceCardNumber').fill('AB12345678CD');
    await page.locator('#termsAgreed').check();
  }

  test('the client software: its status page and dialog say what an applicant needs, under a clear header', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const { context, page } = await open(lang);
      try {
        await page.goto(`${sys.client.url}/?lang=${lang}`);
        const body = (await page.locator('main').textContent()) ?? '';
        assert.ok(!body.includes(sys.dataDir), 'no temporary directory on the status page');
        // Every card the demo reader offers says what it is (no bare "Card <id>").
        for (const label of await page.locator('.radio-list label').allTextContents()) {
          assert.doesNotMatch(label, /— (Card|カード) \S+$/, label);
        }
        assert.ok(
          (await gapUnderHeader(page, 'main h1')) >= 16,
          'the status page’s heading clears the header',
        );
        await noViolations(page, `client status page (${lang})`);

        await cardStep(page, lang, async (dialog) => {
          const requester = ((await dialog.locator('.requester p').first().textContent()) ?? '').replace(
            /\s+/g,
            ' ',
          );
          const name = lang === 'en' ? 'Online Residence Application System' : '在留申請オンラインシステム';
          assert.ok(requester.includes(`${name} (${sys.portal.url})`), requester);
          assert.ok(
            (await gapUnderHeader(dialog, '.dialog')) >= 16,
            'the dialog’s title bar clears the blue rule',
          );
          await noViolations(dialog, `client dialog (${lang})`);
        });
        assert.equal(new URL(page.url()).pathname, '/registration/step1');
        assert.ok((await gapUnderHeader(page, 'main h1')) >= 16, 'STEP1’s heading clears the header');
      } finally {
        await context.close();
      }
    }
  });

  test('a second card on the same PC: STEP1 and Registration use the card just read', async () => {
    const en = catalogs.en;
    const { context, page } = await open('en');
    try {
      await sys.insertCard('default');
      await cardStep(page, 'en');
      assert.equal(await page.locator('#userName').inputValue(), 'HOUMU TARO');
      await fillStep1(page, 'taro@ens-test.com');
      await page.getByRole('link', { name: en.registration.step1.back, exact: true }).click();
      await page.waitForURL(`${sys.portal.url}/`);

      // A family member's card, well within the first draft's 30 minutes.
      await sys.insertCard('kanji');
      await cardStep(page, 'en');
      assert.equal(new URL(page.url()).pathname, '/registration/step1');
      assert.equal(await page.locator('#userName').inputValue(), '', 'not the first card’s HOUMU TARO');
      assert.ok(await page.locator('#sex-female').isChecked(), 'the second card’s holder');
      assert.equal(await page.locator('#email').inputValue(), '', 'not the first card’s entries');
      await fillStep1(page, 'walkthrough-hanako@ens-test.com');
      await page.locator('#userName').fill('HOUMU HANAKO');
      await page.getByRole('button', { name: en.registration.step1.confirm, exact: true }).click();
      await page.waitForURL(`${sys.portal.url}/registration/step2`);
      // STEP2: the telephone number as typed, hyphens included.
      const confirm = (await page.locator('#confirm-list').textContent()) ?? '';
      assert.ok(confirm.includes('090-1234-5678'), confirm);
      assert.ok(confirm.includes('HOUMU HANAKO') && confirm.includes('Female'), confirm);
      await noViolations(page, 'STEP2');
      await page.getByRole('button', { name: en.registration.step2.register, exact: true }).click();
      await page.waitForURL(`${sys.portal.url}/registration/complete`);

      // STEP3: the address on one line, not broken at its hyphen.
      const lines = await page.locator('#completion').evaluate((el, email) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const at = n.textContent?.indexOf(email) ?? -1;
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + email.length);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }
        return 0;
      }, 'walkthrough-hanako@ens-test.com');
      assert.equal(lines, 1, 'the email address stays on one line');
      await noViolations(page, 'STEP3');

      const user = await sys.db.db
        .selectFrom('users')
        .select(['sex', 'date_of_birth'])
        .where('email', '=', 'walkthrough-hanako@ens-test.com')
        .executeTakeFirstOrThrow();
      assert.deepEqual([user.sex, String(user.date_of_birth).slice(0, 10)], ['female', '1985-06-15']);
      // Registration linked the second card: reading it again says it is registered.
      await cardStep(page, 'en');
      assert.equal(
        await page.locator('#notice > p').first().textContent(),
        en.registration.notices.card_already_registered,
      );
    } finally {
      await context.close();
    }
  });

  test('STEP1: the Terms block says each thing once; the Search dialog keeps Close in view and says why a lookup failed', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const t = catalogs[lang];
      const r = t.registration;
      const { context, page } = await open(lang);
      try {
        await sys.insertCard('default');
        await cardStep(page, lang);
        assert.equal(new URL(page.url()).pathname, '/registration/step1');
        const terms = page.locator('fieldset:has(#termsAgreed)');
        const count = (s: string, part: string) => s.split(part).length - 1;
        assert.equal(
          ((await terms.locator('legend').textContent()) ?? '')
            .replace(/\s+/g, ' ')
            .includes(r.step1.terms.title),
          true,
        );
        // The checkbox's words appear in the instruction (quoted, as the manual has it) and by the box.
        assert.equal(count((await terms.textContent()) ?? '', r.step1.terms.agree), 2, 'not three times');

        await page.getByRole('button', { name: r.step1.confirm, exact: true }).click();
        await page.waitForLoadState();
        const withError = (await terms.textContent()) ?? '';
        assert.ok(withError.includes(r.errors.termsAgreed.required));
        assert.ok(
          !withError.includes(r.step1.terms.intro),
          'no near-identical instruction under the red line',
        );
        await noViolations(page, `STEP1 with errors (${lang})`);

        // Tokyo's 62 municipalities: the heading, the conditions and Close stay in view.
        await page.locator('#municipality').click();
        await page.locator('#dialog-prefecture').selectOption('13');
        await page.locator('#dialog-search').click();
        await page.locator('#dialog-results button').nth(61).waitFor({ state: 'attached' });
        const viewport = page.viewportSize()!;
        for (const selector of ['#municipality-dialog-title', '#dialog-close', '#dialog-search']) {
          const box = await page.locator(selector).boundingBox();
          assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `${selector} is in view`);
        }
        await page.locator('#dialog-results button').nth(61).scrollIntoViewIfNeeded();
        assert.ok(await page.locator('#dialog-close').isVisible());
        const closeBox = await page.locator('#dialog-close').boundingBox();
        assert.ok(
          closeBox && closeBox.y + closeBox.height <= viewport.height,
          'Close still in view at the end',
        );
        await noViolations(page, `the Search dialog with 62 results (${lang})`);

        // The entries expired while the dialog was open: the dialog says so.
        await sys.db.db
          .updateTable('registration_drafts')
          .set({ expires_at: new Date(Date.now() - 60_000) })
          .execute();
        await page.locator('#dialog-search').click();
        await page.locator('#dialog-status', { hasText: r.notices.draft_expired }).waitFor();
        assert.equal(await page.locator('#dialog-results li').count(), 0);
        assert.notEqual(await page.locator('#dialog-status').textContent(), r.search.selectPrefectureFirst);
        // No answer at all (the network): a general failure, not "select a prefecture".
        await page.route('**/registration/municipalities**', (route) => route.abort());
        await page.locator('#dialog-search').click();
        await page.locator('#dialog-status', { hasText: r.search.failed }).waitFor();
        await noViolations(page, `the Search dialog after a failed lookup (${lang})`);
      } finally {
        await context.close();
      }
    }
  });
});
