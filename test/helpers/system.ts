// The whole system in this process, for end-to-end browser tests: a temp DATA_DIR with a test
// PKI and the demo cards (plus any extra cards a test asks for), the portal on a test database
// with TRUST_* pointing at that PKI, the user client software with a virtual reader over the
// cards, the mail catcher, and an outbox worker delivering to it. Everything on free ports on
// 127.0.0.1; stop() closes all of it and removes the temp directory.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import type { Page } from 'playwright-core';
import { toJpkiDateOfBirth } from '../../card/basic4.ts';
import { DEMO_AUTH_PIN, DEMO_SIGN_PASSWORD, ensureDemoCards } from '../../card/pki/demo.ts';
import { loadDevPki, pkiPaths } from '../../card/pki/dev-pki.ts';
import { issueCardFile } from '../../card/pki/issue.ts';
import { noSubstitutes } from '../../card/pki/profile.ts';
import { loadClientConfig } from '../../client/config.ts';
import { ClientVirtualReader } from '../../client/reader.ts';
import { buildClientServer } from '../../client/server.ts';
import { type MailCatcher, startMailCatcher } from '../../mailcatcher/catcher.ts';
import { catalogs, type Lang } from '../../portal/i18n/index.ts';
import { OutboxWorker } from '../../portal/mail/worker.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { loggerOptions } from '../../portal/web/app.ts';
import { type DatabaseKind, openTestDatabase } from './db.ts';
import { freePort, startPortal, type TestPortal } from './server.ts';

export const SIGN_PASSWORD = DEMO_SIGN_PASSWORD;
export const AUTH_PIN = DEMO_AUTH_PIN;

export interface SystemOptions {
  /** PGlite (default) or the PostgreSQL server of TEST_DATABASE_URL. */
  database?: DatabaseKind;
  /**
   * Extra cards for HOUMU TARO (same basic four information as the `default` demo card, new
   * keys and certificates), so one test file can register several times: a card registers once.
   */
  extraCards?: string[];
  /** More portal environment (e.g. SESSION_IDLE_MINUTES). */
  portalEnv?: Record<string, string>;
  /**
   * The portal, the client software and the outbox worker log at `trace` into this stream
   * (the portal with its production logger options); without it all three are silent.
   */
  logStream?: DestinationStream;
}

export interface TestSystem {
  dataDir: string;
  db: DatabaseHandle;
  portal: TestPortal;
  client: { app: FastifyInstance; url: string; reader: ClientVirtualReader };
  catcher: MailCatcher;
  worker: OutboxWorker;
  /** Puts a card into the client's virtual reader (null = take it out). */
  insertCard(id: string | null): Promise<void>;
  stop(): Promise<void>;
}

const TARO = {
  name: 'ＨＯＵＭＵ　ＴＡＲＯ',
  sex: '1',
  birth: '1990-04-01',
  address: '東京都新宿区西新宿二丁目８番１号',
};

export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ro-system-'));
  const stops: (() => Promise<unknown>)[] = [async () => rm(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    // Reverse order of starting: worker before the database, the portal before the database.
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    await ensureDemoCards(dataDir);
    const pki = await loadDevPki(dataDir);
    const now = new Date();
    await Promise.all(
      (options.extraCards ?? []).map((id) =>
        issueCardFile(
          pki,
          {
            id,
            basic4: {
              name: TARO.name,
              nameSubstitutes: noSubstitutes(TARO.name),
              sex: TARO.sex,
              dateOfBirth: toJpkiDateOfBirth(TARO.birth),
              address: TARO.address,
              addressSubstitutes: noSubstitutes(TARO.address),
            },
            signPassword: SIGN_PASSWORD,
            authPin: AUTH_PIN,
            // Shown on the client's status page (and in the Japanese screenshots): say what it is.
            description: {
              en: 'HOUMU TARO, male, born 1990-04-01 — a second card of the default card’s holder (tests only)',
              ja: 'ＨＯＵＭＵ　ＴＡＲＯ（男性、1990年4月1日生）— defaultと同じ名義の2枚目のカード（テスト専用）',
            },
          },
          now,
        ),
      ),
    );
    const paths = pkiPaths(dataDir);

    const [db, catcher] = await Promise.all([
      openTestDatabase(options.database ?? 'pglite'),
      startMailCatcher({ smtpPort: 0, httpPort: 0 }),
    ]);
    stops.push(() => db.close());
    stops.push(() => catcher.close());

    // The client's port is chosen first: the portal must know where to send the browser, and
    // the client must know the portal's origin (its allow-list), which exists only once it listens.
    const clientPort = await freePort();
    const clientUrl = `http://127.0.0.1:${clientPort}`;
    const portal = await startPortal(
      db.db,
      {
        DATA_DIR: dataDir,
        TRUST_SIGN_ROOTS: paths.root('sign'),
        TRUST_AUTH_ROOTS: paths.root('auth'),
        TRUST_SIGN_CRLS: paths.crl('sign'),
        TRUST_AUTH_CRLS: paths.crl('auth'),
        CLIENT_ORIGIN: clientUrl,
        SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}`,
        ...options.portalEnv,
      },
      undefined,
      options.logStream ? { logger: loggerOptions('trace', options.logStream) } : {},
    );
    stops.push(() => portal.close());

    const reader = new ClientVirtualReader(paths.cardsDir);
    await reader.insert('default');
    const clientApp = await buildClientServer({
      config: loadClientConfig({
        CLIENT_PORT: String(clientPort),
        CARD_DIR: paths.cardsDir,
        CLIENT_ALLOWED_ORIGINS: portal.url,
        LOG_LEVEL: options.logStream ? 'trace' : 'silent',
      }),
      reader,
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
    await clientApp.listen({ port: clientPort, host: '127.0.0.1' });
    stops.push(() => clientApp.close());
    if ((clientApp.server.address() as AddressInfo).port !== clientPort) {
      throw new Error('the client did not get the port chosen for it');
    }

    const worker = new OutboxWorker({
      db: db.db,
      config: portal.config,
      logger: options.logStream
        ? pino({ level: 'trace', base: { component: 'outbox' } }, options.logStream)
        : pino({ level: 'silent' }),
      pollMs: 50,
    });
    worker.start();
    stops.push(() => worker.stop());

    return {
      dataDir,
      db,
      portal,
      client: { app: clientApp, url: clientUrl, reader },
      catcher,
      worker,
      insertCard: (id) => reader.insert(id),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The card step as an applicant does it in a browser: top page → the client's two dialogs with
 * the demo card's passwords → back on the portal (STEP1, or the top page with a notice).
 * `check` runs on the first dialog, before anything is typed.
 */
export async function cardStepInBrowser(
  sys: TestSystem,
  page: Page,
  lang: Lang,
  check?: (page: Page) => Promise<void>,
): Promise<void> {
  const t = catalogs[lang];
  await page.goto(`${sys.portal.url}/`);
  await page.getByRole('button', { name: t.common.home.applicantButton, exact: true }).click();
  await page.waitForURL((u) => u.origin === sys.client.url && u.pathname.startsWith('/dialog/'));
  await check?.(page);
  const ok = page.locator('button[name="action"][value="ok"]');
  await page.locator('#password').fill(SIGN_PASSWORD);
  await ok.click();
  await page.locator('#password[inputmode="numeric"]').waitFor();
  await page.locator('#password').fill(AUTH_PIN);
  await ok.click();
  await page.waitForURL((u) => u.origin === sys.portal.url && !u.pathname.startsWith('/card'));
}
