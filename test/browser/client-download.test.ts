// The applicant's preparation as the manual's §1.1 describes it, in a real browser: the top page
// says who may register and links the Startup Guide; the guide offers the user client software
// (built by `npm run build:client`) with its SHA-256; the downloaded file is started as an
// applicant would start it and the card step completes against it. Then the guide pages in
// both languages, the proxy notification number guide reached from STEP1, the sample Terms of
// Use, and a failed card step whose notice links the Startup Guide. axe on every page.
// UPDATE_SCREENSHOTS=1 writes docs/screenshots/<lang>-guide-*.png.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { catalogs, type Lang } from '../../portal/i18n/index.ts';
import { buildClient, CLIENT_JS } from '../../scripts/build-client.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { cardStepInBrowser, startSystem, type TestSystem } from '../helpers/system.ts';

const skip = browserUnavailable();
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const shotsDir = path.resolve(import.meta.dirname, '../../docs/screenshots');

/** Starts the downloaded file with Node as the Startup Guide says; resolves once it listens. */
function startDownloaded(file: string, env: Record<string, string>, cwd: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the client did not start: ${out}`)), 15_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (/client: http:\/\/127\.0\.0\.1:\d+/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the client exited (${code}): ${out}`));
    });
  });
}

describe('the user client software as a download, and the guide pages', { skip }, () => {
  let sys: TestSystem;
  let browser: Browser;
  let buildDir: string;
  let applicantDir: string;
  let downloaded: ChildProcess | undefined;
  let builtSha: string;

  before(async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), 'ro-client-build-'));
    applicantDir = await mkdtemp(path.join(tmpdir(), 'ro-applicant-'));
    const built = await buildClient({ outDir: buildDir, sea: false });
    builtSha = built.files.find((f) => f.file === CLIENT_JS)!.sha256;
    [sys, browser] = await Promise.all([
      startSystem({ portalEnv: { CLIENT_DOWNLOAD_DIR: buildDir } }),
      launchBrowser(),
    ]);
    if (SCREENSHOTS) mkdirSync(shotsDir, { recursive: true });
  });
  after(async () => {
    downloaded?.kill('SIGTERM');
    await browser?.close();
    await sys?.stop();
    await rm(buildDir, { recursive: true, force: true });
    await rm(applicantDir, { recursive: true, force: true });
  });

  async function noViolations(page: Page, where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }
  async function shot(page: Page, lang: Lang, name: string): Promise<void> {
    if (!SCREENSHOTS) return;
    await page.screenshot({
      path: path.join(shotsDir, `${lang}-guide-${name}.png`),
      fullPage: true,
      animations: 'disabled',
      caret: 'hide',
    });
  }
  async function newPage(lang: Lang): Promise<Page> {
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
      extraHTTPHeaders: { 'accept-language': lang },
      acceptDownloads: true,
      viewport: { width: 1200, height: 900 },
    });
    return context.newPage();
  }

  test('English: Startup Guide from the top page, download with checksum, start it, card step completes', async () => {
    const t = catalogs.en;
    const page = await newPage('en');
    await page.goto(`${sys.portal.url}/`);
    // Who may register: each kind of user with the user category it selects on STEP1.
    const who = page.locator('.who-list');
    for (const text of [
      t.common.home.whoForeignNational,
      t.common.home.whoLegalRepresentative,
      t.common.home.whoFamily,
      t.common.home.whoAgent,
    ]) {
      assert.ok(await who.getByText(text, { exact: true }).isVisible(), text);
    }
    assert.ok(
      await who.getByText('Attorney / Administrative Procedures Legal Specialist').isVisible(),
      'the agents row names both STEP1 categories',
    );
    assert.ok(await who.getByText('Spouse / Child / Father / Mother').isVisible());
    await noViolations(page, 'the top page (en)');

    await page.getByRole('link', { name: t.common.home.startupGuideLink }).click();
    await page.waitForURL(`${sys.portal.url}/startup-guide`);
    assert.equal(await page.locator('h1').textContent(), 'Startup Guide');
    for (const h of ['What to prepare', 'Your card’s two passwords', 'Install the user client software']) {
      assert.ok(await page.getByRole('heading', { name: h }).isVisible(), h);
    }
    assert.ok(await page.getByText(t.guides.startup.passwords.blocked).isVisible());
    // The checksum shown is the build's, and the start command names this portal.
    assert.equal(await page.locator(`code.checksum[data-file="${CLIENT_JS}"]`).textContent(), builtSha);
    assert.ok(
      await page
        .getByText(
          `CLIENT_ALLOWED_ORIGINS=${sys.portal.url} CLIENT_PORT=${new URL(sys.client.url).port} node ${CLIENT_JS}`,
        )
        .isVisible(),
    );
    await noViolations(page, 'the Startup Guide (en)');
    await shot(page, 'en', 'startup');

    // Download as the applicant does, and check the file against the checksum on the page.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: CLIENT_JS, exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), CLIENT_JS);
    const saved = path.join(applicantDir, CLIENT_JS);
    await download.saveAs(saved);
    const sha = createHash('sha256')
      .update(await readFile(saved))
      .digest('hex');
    assert.equal(sha, builtSha, 'the downloaded file matches the checksum the guide shows');
    const sums = await (await fetch(`${sys.portal.url}/downloads/SHA256SUMS`)).text();
    assert.equal(sums.trim(), `${builtSha}  ${CLIENT_JS}`);

    // The applicant's client replaces the in-process one on the port the portal sends the browser to.
    await sys.client.app.close();
    downloaded = await startDownloaded(
      saved,
      {
        CLIENT_ALLOWED_ORIGINS: sys.portal.url,
        CLIENT_PORT: new URL(sys.client.url).port,
        CARD_DIR: path.join(sys.dataDir, 'cards'),
      },
      applicantDir,
    );

    // Step 5 of the guide: its status page sees the card (no PC/SC module beside it: virtual reader).
    await page.getByRole('link', { name: `${sys.client.url}/` }).click();
    await page.waitForURL(`${sys.client.url}/`);
    assert.ok(await page.getByText('Individual Number card', { exact: true }).first().isVisible());
    assert.ok(await page.getByText('Virtual reader (demo cards)').isVisible());

    // The card step against the downloaded client.
    await cardStepInBrowser(sys, page, 'en');
    await page.waitForURL(`${sys.portal.url}/registration/step1`);
    assert.equal(await page.locator('#userName').inputValue(), 'HOUMU TARO');
    await page.context().close();
  });

  test('STEP1: user category guidance and the proxy notification number guide, both languages', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const t = catalogs[lang];
      const s = t.registration.step1;
      const page = await newPage(lang);
      await cardStepInBrowser(sys, page, lang);
      await page.waitForURL(`${sys.portal.url}/registration/step1`);
      // Every choice of the manual's item 9 is explained beside the field.
      for (const line of s.userCategory.guide) {
        assert.ok(await page.locator('#userCategory-hint').getByText(line).isVisible(), line);
      }
      // The manual's link, in a new window, to the page that answers it.
      const [guide] = await Promise.all([
        page.context().waitForEvent('page'),
        page.getByRole('link', { name: s.proxyNotificationNumber.howToLink }).click(),
      ]);
      await guide.waitForLoadState();
      assert.equal(new URL(guide.url()).pathname, '/proxy-notification-number');
      assert.equal(await guide.locator('h1').textContent(), t.guides.proxy.title);
      for (const part of [
        t.guides.proxy.what,
        t.guides.proxy.who,
        t.guides.proxy.where,
        t.guides.proxy.lost,
      ]) {
        assert.ok(await guide.getByRole('heading', { name: part.title }).isVisible(), part.title);
      }
      await noViolations(guide, `the proxy notification number guide (${lang})`);
      await shot(guide, lang, 'proxy');
      // Also with an error on the field, the link stays beside it.
      await page.locator('select[name="userCategory"]').selectOption('attorney');
      await page.getByRole('button', { name: s.confirm, exact: true }).first().click();
      await page.waitForURL(`${sys.portal.url}/registration/step1`);
      assert.ok(
        await page.getByText(t.registration.errors.proxyNotificationNumber.required).first().isVisible(),
      );
      assert.ok(await page.getByRole('link', { name: s.proxyNotificationNumber.howToLink }).isVisible());
      await noViolations(page, `STEP1 with the category guidance (${lang})`);
      await page.context().close();
    }
  });

  test('Japanese: Startup Guide, sample Terms of Use, and a cancelled card step that points to the guide', async () => {
    const t = catalogs.ja;
    const page = await newPage('ja');
    await page.goto(`${sys.portal.url}/startup-guide`);
    assert.equal(await page.locator('h1').textContent(), 'スタートアップガイド');
    assert.ok(await page.getByRole('heading', { name: t.guides.startup.check.title }).isVisible());
    assert.equal(await page.locator(`code.checksum[data-file="${CLIENT_JS}"]`).textContent(), builtSha);
    await noViolations(page, 'the Startup Guide (ja)');
    await shot(page, 'ja', 'startup');

    // Items to prepare (§1.1) links the guide, as the manual does.
    await page.goto(`${sys.portal.url}/prepare`);
    await page.getByRole('link', { name: 'スタートアップガイド', exact: true }).click();
    await page.waitForURL(`${sys.portal.url}/startup-guide`);

    // Terms of Use: marked as this system's sample, effective from a date already past.
    await page.goto(`${sys.portal.url}/terms`);
    assert.ok(await page.locator('#sample-terms').getByText(t.terms.sample).isVisible());
    const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(t.terms.updated);
    assert.ok(m, t.terms.updated);
    assert.ok(
      new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) <= new Date(),
      'effective date in the past',
    );
    assert.ok(new Date(catalogs.en.terms.updated.replace('Effective date: ', '')) <= new Date());
    await noViolations(page, 'the Terms of Use (ja)');

    // A card step the applicant cancels: the top page says so and links the Startup Guide.
    await page.goto(`${sys.portal.url}/`);
    await page.getByRole('button', { name: t.common.home.applicantButton, exact: true }).click();
    await page.waitForURL((u) => u.origin === sys.client.url && u.pathname.startsWith('/dialog/'));
    await page.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await page.waitForURL(`${sys.portal.url}/`);
    const notice = page.locator('#notice');
    assert.ok(await notice.getByText(t.registration.notices.cancelled).isVisible());
    await noViolations(page, 'the top page with a card-step notice (ja)');
    await notice.getByRole('link', { name: t.common.home.noticeGuide }).click();
    await page.waitForURL(`${sys.portal.url}/startup-guide`);

    // The same on the sign-in page, after a card sign-in the applicant cancels: in sign-in's words.
    await page.goto(`${sys.portal.url}/signin`);
    await page.getByRole('button', { name: t.account.signin.cardButton, exact: true }).click();
    await page.waitForURL((u) => u.origin === sys.client.url && u.pathname.startsWith('/dialog/'));
    await page.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await page.waitForURL(`${sys.portal.url}/signin`);
    assert.ok(await page.locator('#notice').getByText(t.cardStep.notices.signin.cancelled).isVisible());
    await noViolations(page, 'the sign-in page with a card-step notice (ja)');
    await page.locator('#notice').getByRole('link', { name: t.common.home.noticeGuide }).click();
    await page.waitForURL(`${sys.portal.url}/startup-guide`);

    // On a phone (375 px) nothing runs off sideways: commands and checksums wrap.
    await page.setViewportSize({ width: 375, height: 800 });
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
      'no sideways scrolling at 375 px',
    );
    await page.context().close();
  });
});
