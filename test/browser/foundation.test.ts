import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { startPortal, type TestPortal } from '../helpers/server.ts';

const skip = browserUnavailable();

describe('top page, language switch and terms in a real browser', { skip }, () => {
  let h: DatabaseHandle;
  let portal: TestPortal;
  let browser: Browser;
  before(async () => {
    h = await openTestDatabase('pglite');
    portal = await startPortal(h.db);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
    await h?.close();
  });

  test('Japanese browser: top page, switch to English, terms, back', async () => {
    const context = await browser.newContext({
      locale: 'ja-JP',
      extraHTTPHeaders: { 'accept-language': 'ja' },
    });
    const page = await context.newPage();
    await page.goto(`${portal.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.equal(
      await page.locator('h2#new-user').textContent(),
      '新規利用者登録（オンラインシステムの利用登録）',
    );
    assert.ok(await page.getByRole('button', { name: '外国人（申請人）・その他' }).isVisible());
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${portal.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.getByRole('button', { name: 'Foreign national (applicant) / other' }).isVisible());
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: 'Terms of Use' }).click();
    await page.waitForURL(`${portal.url}/terms`);
    assert.equal(await page.locator('h1').textContent(), 'Terms of Use');
    assert.deepEqual(await axeViolations(page), []);

    // The choice is remembered in a cookie across pages.
    await page.goto(`${portal.url}/prepare`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.getByText('An IC card reader connected to your computer').isVisible());
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test('English browser: top page in English, switch to Japanese, terms in Japanese, 404', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      extraHTTPHeaders: { 'accept-language': 'en-US,en' },
    });
    const page = await context.newPage();
    await page.goto(`${portal.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: '日本語', exact: true }).click();
    await page.waitForURL(`${portal.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await page.getByRole('link', { name: '利用規約' }).click();
    assert.equal(await page.locator('h1').textContent(), '利用規約');
    assert.deepEqual(await axeViolations(page), []);
    const res = await page.goto(`${portal.url}/missing`);
    assert.equal(res?.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'ページが見つかりません');
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test('the skip link is the first thing the keyboard reaches and moves to the content', async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.url}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    assert.equal(focused, '#main');
    await page.close();
  });
});
