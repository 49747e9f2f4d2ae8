// The two password dialogs in Chromium: the manual's flow end to end, every dialog state checked
// with axe, and the answer posted to a fake portal and verified with node:crypto.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import {
  AUTH_PIN,
  authenticateUrl,
  cleanupTemplate,
  demoCardsTemplate,
  type FakePortal,
  freshCardDir,
  newNonce,
  SIGN_PASSWORD,
  startClient,
  startFakePortal,
  type TestClient,
  triesOnFile,
  verifyToken,
} from './helpers.ts';

const skip = browserUnavailable();
let browser: Browser;
let portal: FakePortal;

before(async () => {
  if (skip) return;
  await demoCardsTemplate();
  browser = await launchBrowser();
  portal = await startFakePortal();
});
after(async () => {
  if (skip) return;
  await browser.close();
  await portal.close();
  await cleanupTemplate();
});

interface Ctx {
  client: TestClient;
  page: Page;
  nonce: string;
}

async function session(
  fn: (c: Ctx) => Promise<void>,
  cardId: string | null = 'default',
  extra: Record<string, string> = {},
) {
  const client = await startClient(await freshCardDir(cardId), [portal.origin]);
  const context = await browser.newContext();
  const page = await context.newPage();
  const nonce = newNonce();
  try {
    await page.goto(authenticateUrl(client, portal, nonce, extra));
    await fn({ client, page, nonce });
  } finally {
    await context.close();
    await client.close();
  }
}

async function noAxeViolations(page: Page, state: string) {
  assert.deepEqual(await axeViolations(page), [], `axe violations in ${state}`);
}

const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';
const password = (page: Page) => page.locator('#password');
const ok = (page: Page) => page.getByRole('button', { name: 'OK' });

describe('user client software dialogs (Chromium)', { skip }, () => {
  it('happy path: both dialogs, the token posted to the portal verifies', () =>
    session(async ({ page, nonce, client }) => {
      await assert.doesNotReject(
        page.getByRole('heading', { name: '利用者クライアントソフト パスワード入力' }).waitFor(),
      );
      assert.match(await text(page, '.requester'), new RegExp(portal.origin.replace(/[.:/]/g, '\\$&')));
      // The name the allow-list gives the origin, with the origin beside it (issue 15).
      assert.equal(
        await text(page, '.requester p:first-child'),
        `要求元: 在留申請オンラインシステム (${portal.origin})`,
      );
      const label = await text(page, 'label[for="password"]');
      assert.equal(label, '個人番号カードの署名用パスワード（6～16桁の英数字）を入力してください。');
      assert.match(await text(page, '#password-tries'), /残り試行回数：5回/);
      assert.equal(await password(page).getAttribute('autocomplete'), 'off');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
      await noAxeViolations(page, 'dialog 1');

      await password(page).fill(SIGN_PASSWORD.toLowerCase()); // upper-cased by the client
      await ok(page).click();
      await page
        .getByText('個人番号カードの利用者証明用パスワード（4桁の数字）を入力してください。')
        .waitFor();
      assert.match(await text(page, '#password-tries'), /残り試行回数：3回/);
      await noAxeViolations(page, 'dialog 2');
      assert.equal(await password(page).inputValue(), ''); // never echoed back

      const posted = portal.nextPost();
      await password(page).fill(AUTH_PIN);
      await ok(page).click();
      const p = await posted;
      assert.equal(p.path, '/registration/card/return');
      // Referrer-Policy strict-origin on the answer page: the portal sees the client's origin, no path.
      assert.equal(p.headers.origin, client.url);
      assert.equal(p.headers.referer, `${client.url}/`);
      assert.deepEqual(Object.keys(p.fields).sort(), ['nonce', 'token']);
      assert.equal(p.fields.nonce, nonce);
      const v = verifyToken(p.fields.token!, portal.origin, nonce);
      assert.equal(v.parsed.format, 'jpki-reg:1.0');
      assert.equal(v.parsed.algorithm, 'RS256');
      assert.ok(v.parsed.appVersion);
      assert.equal(v.signOk, true);
      assert.equal(v.authOk, true);
      assert.ok(!JSON.stringify(p).includes(SIGN_PASSWORD));
      assert.ok(!p.fields.token!.includes(`${AUTH_PIN}"`));
    }));

  it('mode=authenticate: only the user ID PIN dialog; the token has the auth half only', () =>
    session(
      async ({ page, nonce }) => {
        await page
          .getByText("Enter your Individual Number card's Digital User ID PIN code (4 digits).")
          .waitFor();
        assert.equal(await page.locator('.step-of').count(), 0);
        await noAxeViolations(page, 'authenticate dialog (en)');
        const posted = portal.nextPost();
        await password(page).fill(AUTH_PIN);
        await ok(page).click();
        const p = await posted;
        const v = verifyToken(p.fields.token!, portal.origin, nonce);
        assert.equal(v.authOk, true);
        assert.equal(v.signOk, null);
        assert.equal(v.parsed.signCertificate, undefined);
        assert.equal(v.parsed.signSignature, undefined);
      },
      'default',
      { mode: 'authenticate', lang: 'en' },
    ));

  it('wrong password: tries left shown, error focused and tied to the field; last-try warning', () =>
    session(async ({ page, client }) => {
      await password(page).fill(SIGN_PASSWORD);
      await ok(page).click();
      await page
        .getByText('個人番号カードの利用者証明用パスワード（4桁の数字）を入力してください。')
        .waitFor();
      await password(page).fill('0000');
      await ok(page).click();
      await page.locator('#error-summary').waitFor();
      assert.match(await text(page, '#error-summary'), /残り試行回数：2回/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
      assert.match(String(await password(page).getAttribute('aria-describedby')), /password-error/);
      assert.equal(await password(page).getAttribute('aria-invalid'), 'true');
      assert.equal((await triesOnFile(client.cardDir)).auth, 2);
      await noAxeViolations(page, 'wrong password');
      await password(page).fill('0000');
      await ok(page).click();
      await page.locator('#password-warning').waitFor();
      assert.match(await text(page, '#password-warning'), /残り試行回数は1回/);
      await noAxeViolations(page, 'one try left');
      // Language switch keeps the dialog (step 2, the message) and never echoes a password.
      await page.getByRole('link', { name: 'English' }).click();
      await page
        .getByText("Enter your Individual Number card's Digital User ID PIN code (4 digits).")
        .waitFor();
      assert.match(await text(page, '#error-summary'), /Tries left: 1/);
      assert.equal(await password(page).inputValue(), '');
      await noAxeViolations(page, 'one try left (en)');
    }));

  it('blocked: says so and where to unblock; acknowledging posts auth_pin_blocked', () =>
    session(async ({ page, nonce }) => {
      await password(page).fill(SIGN_PASSWORD);
      await ok(page).click();
      for (let i = 0; i < 3; i++) {
        await password(page).fill('9999');
        await ok(page).click();
        await page.waitForLoadState();
      }
      await page.getByRole('heading', { name: '利用者証明用パスワードがロックされています' }).waitFor();
      assert.match(await text(page, '#state-message'), /市区町村窓口/);
      assert.equal(await page.locator('#password').count(), 0);
      await noAxeViolations(page, 'auth PIN blocked');
      const posted = portal.nextPost();
      await page.getByRole('button', { name: 'ウェブサイトに戻る' }).click();
      assert.deepEqual((await posted).fields, { nonce, error: 'auth_pin_blocked' });
    }));

  it('a card with a blocked signature password: convenience store mentioned, sign_password_blocked', () =>
    session(
      async ({ page, nonce }) => {
        await page.getByRole('heading', { name: 'The Digital Signature PIN code is locked' }).waitFor();
        assert.match(await text(page, '#state-message'), /municipal office/);
        assert.match(await text(page, '#state-message'), /convenience store/);
        await noAxeViolations(page, 'sign password blocked');
        const posted = portal.nextPost();
        await page.getByRole('button', { name: 'Return to the website' }).click();
        assert.deepEqual((await posted).fields, { nonce, error: 'sign_password_blocked' });
      },
      'sign-blocked',
      { lang: 'en' },
    ));

  it('cancel posts error=cancelled', () =>
    session(async ({ page, nonce, client }) => {
      const posted = portal.nextPost();
      await page.getByRole('button', { name: 'キャンセル' }).click();
      assert.deepEqual((await posted).fields, { nonce, error: 'cancelled' });
      assert.equal((await triesOnFile(client.cardDir)).sign, 5);
    }));

  it('a password attempt posted by another site (even one knowing the dialog token) is refused; no try used', () =>
    session(async ({ page, client }) => {
      const action = new URL(page.url()).pathname;
      const token = await page.locator('input[name="_token"]').first().inputValue();
      const attacker = await page.context().newPage();
      await attacker.goto(portal.origin); // another origin (here even same-site: same IP, other port)
      await attacker.evaluate(
        ({ url, token }) => {
          const f = document.createElement('form');
          f.method = 'post';
          f.action = url;
          for (const [k, v] of Object.entries({ _token: token, action: 'ok', password: 'WRONG123' })) {
            const i = document.createElement('input');
            i.type = 'hidden';
            i.name = k;
            i.value = v;
            f.append(i);
          }
          document.body.append(f);
          f.submit();
        },
        { url: `${client.url}${action}`, token },
      );
      await attacker.waitForURL(`${client.url}${action}`);
      assert.match(await text(attacker, 'h1'), /要求を拒否しました|Request refused/);
      assert.equal((await triesOnFile(client.cardDir)).sign, 5);
    }));

  it('show password: the check box reveals what was typed', () =>
    session(async ({ page }) => {
      const box = page.getByLabel('パスワードを表示する。');
      await box.waitFor();
      await password(page).fill('ABC123');
      assert.equal(await password(page).getAttribute('type'), 'password');
      await box.check();
      assert.equal(await password(page).getAttribute('type'), 'text');
      await noAxeViolations(page, 'password shown');
      await box.uncheck();
      assert.equal(await password(page).getAttribute('type'), 'password');
    }));

  it('input rules are checked before the card: too short, letters in the PIN — no try used', () =>
    session(async ({ page, client }) => {
      await password(page).fill('AB1');
      await ok(page).click();
      await page.locator('#error-summary').waitFor();
      assert.match(await text(page, '#password-error'), /6～16桁/);
      assert.equal((await triesOnFile(client.cardDir)).sign, 5);
      await noAxeViolations(page, 'format error dialog 1');
      await password(page).fill('ONLYLETTERS');
      await ok(page).click();
      await page.locator('#error-summary').waitFor();
      assert.equal((await triesOnFile(client.cardDir)).sign, 5);
      await password(page).fill(SIGN_PASSWORD);
      await ok(page).click();
      await page
        .getByText('個人番号カードの利用者証明用パスワード（4桁の数字）を入力してください。')
        .waitFor();
      await password(page).fill('12a4');
      await ok(page).click();
      await page.locator('#error-summary').waitFor();
      assert.match(await text(page, '#password-error'), /4桁の数字/);
      assert.equal((await triesOnFile(client.cardDir)).auth, 3);
      await password(page).fill('');
      await ok(page).click();
      await page.locator('#error-summary').waitFor();
      assert.match(await text(page, '#password-error'), /パスワードを入力してください/);
      assert.equal((await triesOnFile(client.cardDir)).auth, 3);
      await noAxeViolations(page, 'format error dialog 2');
    }));

  it('no card: asks to insert it, retry works once a card is in; cancel there posts no_card', async () => {
    await session(async ({ page, client }) => {
      await page.getByRole('heading', { name: '個人番号カードをセットしてください' }).waitFor();
      await noAxeViolations(page, 'no card');
      await client.reader.insert('default');
      await page.getByRole('link', { name: '再試行' }).click();
      await page
        .getByText('個人番号カードの署名用パスワード（6～16桁の英数字）を入力してください。')
        .waitFor();
    }, null);
    await session(async ({ page, nonce }) => {
      const posted = portal.nextPost();
      await page.getByRole('button', { name: 'キャンセル' }).click();
      assert.deepEqual((await posted).fields, { nonce, error: 'no_card' });
    }, null);
  });

  it('no signature certificate in register mode: no password asked, posts no_sign_certificate', () =>
    session(async ({ page, nonce }) => {
      await page.getByRole('heading', { name: 'このカードには署名用電子証明書がありません' }).waitFor();
      assert.equal(await page.locator('#password').count(), 0);
      await noAxeViolations(page, 'no sign certificate');
      const posted = portal.nextPost();
      await page.getByRole('button', { name: 'ウェブサイトに戻る' }).click();
      assert.deepEqual((await posted).fields, { nonce, error: 'no_sign_certificate' });
    }, 'no-sign-cert'));

  it('a request from an origin not allowed gets a refusal page (axe-clean) and no form', () =>
    session(
      async ({ page }) => {
        await page.getByRole('heading', { name: /この要求は受け付けられません/ }).waitFor();
        assert.equal(await page.locator('form').count(), 0);
        await noAxeViolations(page, 'refused origin');
      },
      'default',
      { origin: 'http://localhost:1', return: 'http://localhost:1/r' },
    ));

  it('the status page: reader, card, demo cards; changing the card works from the page', async () => {
    const client = await startClient(await freshCardDir('default'), [portal.origin]);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${client.url}/?lang=en`);
      assert.match(await text(page, 'dl.summary'), /Residence Online Virtual Reader/);
      assert.match(await text(page, 'dl.summary'), /default/);
      await noAxeViolations(page, 'status page');
      await page.getByRole('button', { name: 'Take the card out' }).click();
      await page.getByText('No card in the reader').waitFor();
      await page.getByLabel(/no-sign-cert/).check();
      await page.getByRole('button', { name: 'Put this card into the reader' }).click();
      assert.match(await text(page, 'dl.summary'), /Digital Signature certificate\s*absent/);
      assert.equal((await client.reader.state()).cardId, 'no-sign-cert');
    } finally {
      await context.close();
      await client.close();
    }
  });
});
