// The registration flow in Chromium: card step through a stand-in for the user client
// software (it answers exactly like the client: an auto-submitting POST with a token signed
// by an emulated card), STEP1 with errors and the Search dialog, STEP2, STEP3; axe on each page.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CardFileData } from '../../card/emulator/card-file.ts';
import { catalogs } from '../../portal/i18n/index.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { freePort, startPortal, type TestPortal } from '../helpers/server.ts';
import { setupPki, signedToken, type TestPki } from '../portal/registration/helpers.ts';

const skip = browserUnavailable();
const en = catalogs.en.registration;
const ja = catalogs.ja.registration;

/** What the stand-in client answers with next. */
interface ClientPlan {
  card?: CardFileData;
  error?: string;
  signOrigin?: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

async function startFakeClient(
  plan: () => ClientPlan,
): Promise<{ origin: string; server: Server; last: () => string }> {
  const port = await freePort();
  let last = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const nonce = url.searchParams.get('nonce') ?? '';
    const origin = url.searchParams.get('origin') ?? '';
    const p = plan();
    const fields = p.error
      ? Promise.resolve({ nonce, error: p.error })
      : signedToken(p.card!, p.signOrigin ?? origin, nonce).then((token) => ({ nonce, token }));
    fields.then((f) => {
      const inputs = Object.entries(f)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
        .join('');
      last = `<form method="post" action="${escapeHtml(url.searchParams.get('return') ?? '')}">${inputs}<button>Continue</button></form>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><title>client</title>${last}<script>document.forms[0].submit()</script></html>`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${port}`, server, last: () => last };
}

describe('registration in a real browser', { skip }, () => {
  let pki: TestPki;
  let h: DatabaseHandle;
  let portal: TestPortal;
  let browser: Browser;
  let client: Awaited<ReturnType<typeof startFakeClient>>;
  let plan: ClientPlan = {};
  let clock = Date.now();

  before(async () => {
    [pki, h, browser] = await Promise.all([
      setupPki({
        fn: 'taro',
        attorney: 'kanji',
        errors: 'taro',
        nojs: 'taro',
        dbl: 'taro',
        draft: 'taro',
        replay: 'taro',
        expired: 'expired',
        revoked: 'revoked',
        signRevoked: 'signRevoked',
      }),
      openTestDatabase('pglite'),
      launchBrowser(),
    ]);
    client = await startFakeClient(() => plan);
    portal = await startPortal(
      h.db,
      { ...pki.env, CLIENT_ORIGIN: client.origin, DRAFT_IDLE_MINUTES: '10' },
      () => new Date(clock),
    );
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
    client?.server.close();
    await h?.close();
    pki?.close();
  });

  async function open(
    lang: 'en' | 'ja',
    javaScriptEnabled = true,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-US',
      extraHTTPHeaders: { 'accept-language': lang },
      javaScriptEnabled,
    });
    return { context, page: await context.newPage() };
  }

  async function cardStep(page: Page, p: ClientPlan, lang: 'en' | 'ja' = 'en'): Promise<void> {
    plan = p;
    await page.goto(`${portal.url}/`);
    const name = lang === 'en' ? 'Foreign national (applicant) / other' : '外国人（申請人）・その他';
    await page.getByRole('button', { name }).click();
    await page.waitForURL((u) => u.origin === portal.url && !u.pathname.startsWith('/card'));
  }

  async function noViolations(page: Page, where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], where);
  }

  async function chooseWithDialog(page: Page, prefecture: string, municipality: string): Promise<void> {
    await page.locator('#municipality').click();
    assert.ok(await page.locator('#municipality-dialog').isVisible());
    await page.locator('#dialog-prefecture').selectOption(prefecture);
    await page.locator('#dialog-search').click();
    await page.getByRole('button', { name: municipality, exact: true }).click();
    assert.ok(!(await page.locator('#municipality-dialog').isVisible()));
  }

  async function fillValid(page: Page, overrides: Record<string, string> = {}): Promise<void> {
    const values: Record<string, string> = {
      streetAddress: '西新宿２－８－１',
      telephone: '０９０－１２３４－５６７８',
      email: 'user02@ens-test.com',
      emailConfirm: 'user02@ens-test.com',
      residenceCardNumber: 'ab 12345678 cd',
      ...overrides,
    };
    for (const [id, v] of Object.entries(values)) {
      if (id !== 'userCategory') await page.locator(`#${id}`).fill(v);
    }
    await page.locator('#userCategory').selectOption(overrides.userCategory ?? 'foreign_national');
    await page.locator('#termsAgreed').check();
  }

  test('Foreign National: errors, the Search dialog, Back, Registration, completion', async () => {
    const { context, page } = await open('en');
    await cardStep(page, { card: pki.cards.fn });
    assert.equal(new URL(page.url()).pathname, '/registration/step1');
    assert.equal(await page.locator('#userName').inputValue(), 'HOUMU TARO');
    assert.equal(await page.locator('#userName').getAttribute('readonly'), '');
    await noViolations(page, 'STEP1');

    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    assert.match(await page.title(), /^Error: /);
    assert.ok(await page.locator('#error-summary').isVisible());
    assert.equal(await page.locator('.field-invalid .error-icon').count(), 7);
    assert.ok(
      (await page.locator('#error-summary').textContent())!.includes(en.errors.streetAddress.required),
    );
    await noViolations(page, 'STEP1 with errors');

    await page.locator('#municipality').click();
    await noViolations(page, 'STEP1 with the Search dialog open');
    await page.locator('#dialog-close').click();
    // The no-JavaScript search page (axe needs JavaScript, so it is checked here).
    await page.goto(`${portal.url}/registration/municipality-search?prefecture=13`);
    await noViolations(page, 'search page');
    await page.goto(`${portal.url}/registration/step1`);
    await chooseWithDialog(page, '13', 'Shinjuku-ku');
    assert.equal(await page.locator('#municipality-display').textContent(), 'Selected: Shinjuku-ku, Tokyo');
    await fillValid(page);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(`${portal.url}/registration/step2`);
    assert.ok((await page.locator('#confirm-list').textContent())!.includes('AB12345678CD'));
    await noViolations(page, 'STEP2');

    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.waitForURL(`${portal.url}/registration/step1`);
    assert.equal(await page.locator('#telephone').inputValue(), '０９０－１２３４－５６７８');
    assert.ok(await page.locator('#termsAgreed').isChecked());
    assert.equal(await page.locator('#municipality-display').textContent(), 'Selected: Shinjuku-ku, Tokyo');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('button', { name: 'Registration' }).click();
    await page.waitForURL(`${portal.url}/registration/complete`);
    const text = (await page.locator('#completion').textContent())!;
    assert.ok(text.includes(en.step3.done));
    assert.ok(text.includes('user02@ens-test.com'));
    assert.match((await page.locator('#user-id').textContent())!, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await noViolations(page, 'STEP3');
    await page.getByRole('link', { name: 'Back to Top page' }).click();
    await page.waitForURL(`${portal.url}/`);

    // The same card again: a clear message, no second user.
    await cardStep(page, { card: pki.cards.fn });
    assert.equal(await page.locator('#notice > p').first().textContent(), en.notices.card_already_registered);
    await noViolations(page, 'top page with a notice');
    await context.close();
  });

  test('Attorney with a kanji-name card, in Japanese', async () => {
    const { context, page } = await open('ja');
    await cardStep(page, { card: pki.cards.attorney }, 'ja');
    assert.equal(await page.locator('#userName').inputValue(), '');
    await page.locator('#userName').fill('houmu hanako');
    await chooseWithDialog(page, '27', '大阪市北区');
    await fillValid(page, {
      userCategory: 'attorney',
      residenceCardNumber: '',
      proxyNotificationNumber: '１２３４５６',
      email: 'hanako@example.jp',
      emailConfirm: 'hanako@example.jp',
    });
    await page.getByRole('button', { name: '確認', exact: true }).click();
    await page.waitForURL(`${portal.url}/registration/step2`);
    const list = (await page.locator('#confirm-list').textContent())!;
    assert.ok(list.includes('HOUMU HANAKO') && list.includes('弁護士') && list.includes('123456'));
    assert.ok(list.includes('大阪府大阪市北区'));
    await noViolations(page, 'STEP2 ja');
    await page.getByRole('button', { name: '登録' }).click();
    await page.waitForURL(`${portal.url}/registration/complete`);
    assert.ok((await page.locator('#completion').textContent())!.includes(ja.step3.done));
    await noViolations(page, 'STEP3 ja');
    await context.close();
  });

  test('each field’s error, with every other entry kept', async () => {
    const { context, page } = await open('en');
    await cardStep(page, { card: pki.cards.errors });
    await chooseWithDialog(page, '13', 'Shinjuku-ku');
    const bad: [string, string, string][] = [
      ['streetAddress', ' ', en.errors.streetAddress.required],
      ['telephone', '0120-123-456', en.errors.telephone.invalid_number],
      ['email', 'user02@', en.errors.email.invalid],
      ['emailConfirm', 'other@ens-test.com', en.errors.emailConfirm.mismatch],
      ['residenceCardNumber', 'A1234567', en.errors.residenceCardNumber.invalid_format],
      ['proxyNotificationNumber', '1234567890123', en.errors.proxyNotificationNumber.invalid_format],
    ];
    for (const [field, value, message] of bad) {
      const extra: Record<string, string> = field === 'email' ? { emailConfirm: value } : {};
      await fillValid(page, { proxyNotificationNumber: '', [field]: value, ...extra });
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.waitForLoadState();
      assert.equal(await page.locator(`#${field}-error`).textContent(), message);
      assert.equal(await page.locator('.field-invalid').count(), 1, field);
      assert.equal(await page.locator(`#${field}`).inputValue(), value);
      assert.equal(
        await page.locator('#email').inputValue(),
        field === 'email' ? value : 'user02@ens-test.com',
      );
      await page.locator(`#error-summary a[href="#${field}"]`).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), field);
    }
    await noViolations(page, 'STEP1 single error');
    // Terms not agreed, and a user category that needs the proxy number.
    await fillValid(page, { userCategory: 'administrative_scrivener', proxyNotificationNumber: '' });
    await page.locator('#termsAgreed').uncheck();
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator('.field-invalid').count(), 2);
    assert.equal(
      await page.locator('#proxyNotificationNumber-error').textContent(),
      en.errors.proxyNotificationNumber.required,
    );
    assert.equal(await page.locator('#terms-error').textContent(), en.errors.termsAgreed.required);
    await context.close();
  });

  test('without JavaScript: the Search page keeps every entry, Registration double-clicked makes one user', async () => {
    const { context, page } = await open('en', false);
    plan = { card: pki.cards.nojs };
    await page.goto(`${portal.url}/`);
    await page.getByRole('button', { name: 'Foreign national (applicant) / other' }).click();
    await page.getByRole('button', { name: 'Continue' }).click(); // the client page, without its script
    await page.waitForURL(`${portal.url}/registration/step1`);
    await fillValid(page, { email: 'nojs@example.jp', emailConfirm: 'nojs@example.jp' });
    await page.locator('#municipality').click();
    await page.waitForURL(/\/registration\/municipality-search/);
    await page.locator('#prefecture').selectOption('01');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Sapporo-shi Chuo-ku' }).click();
    await page.waitForURL(/\/registration\/step1/);
    assert.equal(
      await page.locator('#municipality-display').textContent(),
      'Selected: Sapporo-shi Chuo-ku, Hokkaido',
    );
    assert.equal(await page.locator('#telephone').inputValue(), '０９０－１２３４－５６７８');
    assert.equal(await page.locator('#email').inputValue(), 'nojs@example.jp');
    assert.ok(await page.locator('#termsAgreed').isChecked());
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(`${portal.url}/registration/step2`);
    await page.getByRole('button', { name: 'Registration' }).dblclick();
    await page.waitForURL(`${portal.url}/registration/complete`);
    const users = await h.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'nojs@example.jp')
      .execute();
    assert.equal(users.length, 1);
    assert.equal(await page.locator('#user-id').textContent(), users[0]!.id.match(/.{4}/g)!.join('-'));
    await context.close();
  });

  test('an expired draft sends the browser to the top page with a message', async () => {
    const { context, page } = await open('en');
    await cardStep(page, { card: pki.cards.draft });
    clock += 11 * 60_000;
    try {
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.waitForURL(`${portal.url}/`);
      assert.equal(await page.locator('#notice > p').first().textContent(), en.notices.draft_expired);
    } finally {
      clock -= 11 * 60_000;
    }
    await context.close();
  });

  test('refused card steps: replayed token, another origin, expired, revoked, cancelled', async () => {
    const { context, page } = await open('en');
    await cardStep(page, { card: pki.cards.replay });
    assert.equal(new URL(page.url()).pathname, '/registration/step1');
    await page.setContent(client.last()); // the same answer posted a second time
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${portal.url}/`);
    assert.equal(await page.locator('#notice > p').first().textContent(), en.notices.request_used);

    const cases: [ClientPlan, keyof typeof en.notices][] = [
      [{ card: pki.cards.replay, signOrigin: 'https://evil.example' }, 'signature_invalid'],
      [{ card: pki.cards.expired }, 'certificate_expired'],
      [{ card: pki.cards.revoked }, 'auth_certificate_revoked'],
      [{ card: pki.cards.signRevoked }, 'sign_certificate_revoked'],
      [{ error: 'cancelled' }, 'cancelled'],
      [{ error: 'sign_password_blocked' }, 'sign_password_blocked'],
    ];
    for (const [p, code] of cases) {
      await cardStep(page, p);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await page.locator('#notice > p').first().textContent(), en.notices[code], code);
    }
    await noViolations(page, 'top page with an error');
    await context.close();
  });
});
