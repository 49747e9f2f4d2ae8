// A card step that fails while signing in or looking up a User ID is told in those words, on the
// page that started it, in Japanese and English (issue 12: cancelling a sign-in said "Nothing was
// registered", and no reader sent a signing-in user to the registration button). The user client
// software is stood in for by a page that answers as it does when the user gives up: an
// auto-submitting POST of the error code.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { catalogs } from '../../portal/i18n/index.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { axeViolations, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { freePort, startPortal, type TestPortal } from '../helpers/server.ts';
import { setupPki, type TestPki } from '../portal/registration/helpers.ts';

const skip = browserUnavailable();

/** Answers every card step with `error` (the client's cancel button, or no reader found). */
async function refusingClient(error: () => string): Promise<{ origin: string; server: Server }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const fields = { nonce: url.searchParams.get('nonce') ?? '', error: error() };
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${attr(v)}">`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><title>client</title><form method="post" action="${attr(url.searchParams.get('return') ?? '')}">${inputs}</form><script>document.forms[0].submit()</script></html>`,
    );
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${port}`, server };
}

describe('card-step notices in the words of what the user was doing', { skip }, () => {
  let pki: TestPki;
  let h: DatabaseHandle;
  let portal: TestPortal;
  let browser: Browser;
  let client: Awaited<ReturnType<typeof refusingClient>>;
  let answer = 'cancelled';

  before(async () => {
    [pki, h, browser] = await Promise.all([
      setupPki({ taro: 'taro' }),
      openTestDatabase('pglite'),
      launchBrowser(),
    ]);
    client = await refusingClient(() => answer);
    portal = await startPortal(h.db, { ...pki.env, CLIENT_ORIGIN: client.origin });
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
    client?.server.close();
    await h?.close();
    pki?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    const t = catalogs[lang];
    const registrationWords = t.cardStep.notices.registration;
    const pages = [
      { purpose: 'signin', path: '/signin', button: t.account.signin.cardButton },
      { purpose: 'recover-user-id', path: '/recover-user-id', button: t.account.recoverUserId.button },
    ] as const;
    for (const { purpose, path, button } of pages) {
      test(`${purpose} (${lang}): cancelled and no reader are said for ${purpose}, with the Startup Guide`, async () => {
        const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
        const page = await context.newPage();
        for (const code of ['cancelled', 'no_reader'] as const) {
          answer = code;
          await page.goto(`${portal.url}${path}?lang=${lang}`);
          await page.getByRole('button', { name: button, exact: true }).click();
          await page.waitForURL(`${portal.url}${path}`);
          const notice = page.locator('#notice');
          const shown = (await notice.locator('p').first().textContent())?.trim();
          assert.equal(shown, t.cardStep.notices[purpose][code], code);
          assert.notEqual(shown, registrationWords[code], `${code}: not the registration text`);
          assert.ok(await notice.getByRole('link', { name: t.common.home.noticeGuide }).isVisible());
          assert.deepEqual(await axeViolations(page), [], `${path} with the ${code} notice (${lang})`);
        }
        await context.close();
      });
    }
  }
});
