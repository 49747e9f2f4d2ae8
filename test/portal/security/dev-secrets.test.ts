// Defect 7 (issue 11): development secrets in a deployment. The key that seals anonymous sessions
// was a constant in the repository, so anyone could write a session saying the card step
// succeeded. Now: random secrets kept under DATA_DIR (0600, reused), none at all for a portal
// others can reach, and the card step's result is accepted only against its card_sessions row.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { devSecretsPath } from '../../../portal/dev-secrets.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import { loadStartConfig } from '../../../portal/portal-config.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { buildApp } from '../../../portal/web/app.ts';
import { cookieBox } from '../../../portal/web/session.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { freePort, startPortal, type TestPortal } from '../../helpers/server.ts';
import {
  notice,
  type Reply,
  setupPki,
  signedToken,
  TestBrowser,
  type TestPki,
} from '../registration/helpers.ts';

/** The value every development portal used to seal sessions with (portal-config.ts before the fix). */
const OLD_CONSTANT = 'development-only-secret-not-for-production-use-0000';
const root = join(import.meta.dirname, '../../..');
const en = catalogs.en.registration.notices;

/** An anonymous session as its sealer writes it: the forger knows its form token. */
function forge(
  secret: string | readonly string[],
  data: Record<string, unknown> = {},
  id = randomBytes(16).toString('hex'),
) {
  const now = Date.now();
  const csrfToken = randomBytes(32).toString('base64url');
  const cookie = cookieBox(secret).seal({
    id,
    csrfToken,
    userId: null,
    data,
    createdAt: new Date(now),
    lastSeenAt: new Date(now),
    expiresAt: new Date(now + 10 * 60_000),
  });
  return { cookie, csrfToken, id };
}

/** Does the portal open this cookie? Its form token is accepted only if it does. */
async function opens(app: FastifyInstance, s: { cookie: string; csrfToken: string }): Promise<boolean> {
  const res = await app.inject({
    method: 'POST',
    url: '/registration/card',
    headers: { cookie: `sid=${s.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(s.csrfToken)}`,
  });
  if (res.statusCode === 303) return true;
  assert.equal(res.statusCode, 403, 'refused as a failed form check, not an error');
  return false;
}

async function startWithConfig(db: DatabaseHandle['db'], env: Record<string, string>) {
  const port = await freePort();
  const config = loadStartConfig({ LOG_LEVEL: 'silent', PORT: String(port), ...env });
  const app = await buildApp({ config, db, now: () => new Date() });
  return { app, config };
}

describe('development secrets', () => {
  let h: DatabaseHandle;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'ro-dev-secrets-'));
    dirs.push(d);
    return d;
  };
  before(async () => {
    h = await openTestDatabase('pglite');
  });
  after(async () => {
    await h.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a cookie sealed with the old repository constant is refused by a portal with the default configuration', async () => {
    // As the programs start (secrets under DATA_DIR) and as the tests' helper does.
    const started = await startWithConfig(h.db, { DATA_DIR: tmp() });
    const helper = await startPortal(h.db, { DATA_DIR: tmp() });
    try {
      for (const app of [started.app, helper.app]) {
        assert.equal(await opens(app, forge(OLD_CONSTANT)), false);
      }
      // The probe itself works: a cookie sealed with the portal's own key opens.
      assert.equal(await opens(started.app, forge(started.config.sessionSecrets)), true);
    } finally {
      await started.app.close();
      await helper.close();
    }
  });

  test('generated secrets are random, readable by the owner only, and reused across restarts', async () => {
    const dataDir = tmp();
    const first = await startWithConfig(h.db, { DATA_DIR: dataDir });
    const file = devSecretsPath(dataDir);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    assert.deepEqual([stored.sessionSecret], first.config.sessionSecrets);
    assert.deepEqual([stored.mailSecretKey], first.config.mail.secretKeys);
    assert.notEqual(first.config.sessionSecrets[0], first.config.mail.secretKeys[0]);
    for (const s of [...first.config.sessionSecrets, ...first.config.mail.secretKeys]) {
      assert.ok(s.length >= 32 && s !== OLD_CONSTANT);
    }
    const other = loadStartConfig({ DATA_DIR: tmp() });
    assert.notDeepEqual(other.sessionSecrets, first.config.sessionSecrets, 'each DATA_DIR has its own');
    assert.notDeepEqual(other.mail.secretKeys, first.config.mail.secretKeys);

    // A session begun before a restart is still the browser's after it.
    const b = new TestBrowser(first.app);
    await b.get('/');
    assert.ok(b.csrf);
    await first.app.close();
    const second = await startWithConfig(h.db, { DATA_DIR: dataDir });
    try {
      assert.deepEqual(second.config.sessionSecrets, first.config.sessionSecrets);
      const again = new TestBrowser(second.app);
      again.cookies = b.cookies;
      again.csrf = b.csrf;
      const r = await again.post('/registration/card');
      assert.equal(r.status, 303);
      assert.equal(new URL(r.location).origin, second.config.clientOrigin);
    } finally {
      await second.app.close();
    }
  });

  test('a secrets file others can read is refused, not used', () => {
    const dataDir = tmp();
    loadStartConfig({ DATA_DIR: dataDir });
    chmodSync(devSecretsPath(dataDir), 0o644);
    assert.throws(() => loadStartConfig({ DATA_DIR: dataDir }), /readable by its owner only/);
  });

  test('a PUBLIC_ORIGIN others can reach without real secrets refuses to start, in one line', () => {
    const dataDir = tmp();
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'portal/main.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    // One start as `npm run portal` would do it (the other cases: test/portal/config.test.ts).
    const r = run({ PUBLIC_ORIGIN: 'https://residence.example.go.jp' });
    assert.equal(r.status, 1);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'configuration error: SESSION_SECRET: expected at least 32 random characters (required when PUBLIC_ORIGIN https://residence.example.go.jp is not on this computer), got ""',
    ]);
    assert.equal(existsSync(devSecretsPath(dataDir)), false, 'no development secrets for such a portal');
  });
});

for (const kind of databaseKinds()) {
  describe(`a forged card-step result cannot create a registration draft (${kind})`, () => {
    let pki: TestPki;
    let h: DatabaseHandle;
    let portal: TestPortal;
    const secret = randomBytes(32).toString('base64url');
    before(async () => {
      pki = await setupPki({ taro: 'taro', taro2: 'taro' });
      h = await openTestDatabase(kind);
      // The attacker of these tests knows the key: what stops them is the card_sessions row.
      portal = await startPortal(h.db, { ...pki.env, SESSION_SECRET: secret });
    });
    after(async () => {
      await portal.close();
      await h.close();
      pki.close();
    });

    const cardVerified = (cardSessionId: string, over: Record<string, unknown> = {}) => ({
      purpose: 'registration',
      cardSessionId,
      // Well-formed (the session schema drops anything else): what refuses it is the database.
      cardIdentity: randomBytes(32).toString('hex'),
      authCertFingerprint: randomBytes(32).toString('hex'),
      authCertSerial: '01',
      verifiedAt: new Date().toISOString(),
      basic4: { userName: 'HOUMU TARO', sex: 'male', dateOfBirth: '1990-04-01' },
      ...over,
    });

    /** GET STEP1 with the given session cookie; the refusal is the top page with a notice. */
    async function step1With(cookie: string): Promise<{ r: Reply; notice: string }> {
      const b = new TestBrowser(portal.app);
      b.cookies.set('sid', cookie);
      b.cookies.set('lang', 'en');
      const r = await b.get('/registration/step1');
      return { r, notice: r.status === 303 ? notice((await b.get(r.location)).body) : '' };
    }
    const refused = (x: { r: Reply; notice: string }, why: string) => {
      assert.equal(x.r.status, 303, why);
      assert.equal(x.r.location, '/', why);
      assert.doesNotMatch(x.r.body, /STEP1/);
      assert.equal(x.notice, en.request_used, why);
    };

    /** Card step up to /card/continue (not following to STEP1); returns the browser and its cookie then. */
    async function verifiedButNotUsed(cardId: string) {
      const b = new TestBrowser(portal.app);
      b.cookies.set('lang', 'en');
      const { nonce } = await b.startCardStep();
      const token = await signedToken(pki.cards[cardId]!, portal.url, nonce);
      const cb = await b.crossSitePost('/card/callback', { nonce, token });
      const cont = await b.get(cb.location);
      assert.equal(cont.location, '/registration/step1');
      return {
        b,
        cookie: b.cookies.get('sid')!,
        cs: new URL(cb.location, portal.url).searchParams.get('cs')!,
      };
    }

    test('a session sealed with the right key but no card step at all', async () => {
      const s = forge(secret, { cardVerified: cardVerified(randomBytes(16).toString('base64url')) });
      refused(await step1With(s.cookie), 'invented card session');
    });

    test('the id of a card step that failed, in the browser session that ran it', async () => {
      const b = new TestBrowser(portal.app);
      const { nonce } = await b.startCardStep();
      const cb = await b.crossSitePost('/card/callback', { nonce, error: 'cancelled' });
      const cs = new URL(cb.location, portal.url).searchParams.get('cs')!;
      await b.get(cb.location); // collected: the notice says cancelled
      const sessionId = cookieBox(secret).open(b.cookies.get('sid')!)!.id;
      const s = forge(secret, { cardVerified: cardVerified(cs) }, sessionId);
      refused(await step1With(s.cookie), 'failed card step');
    });

    test('a real card step, its result altered (another card, another name)', async () => {
      const { cookie } = await verifiedButNotUsed('taro2');
      const real = cookieBox(secret).open(cookie)!;
      const card = real.data.cardVerified as ReturnType<typeof cardVerified>;
      const altered = forge(
        secret,
        { ...real.data, cardVerified: { ...card, basic4: { ...card.basic4, userName: 'SOMEONE ELSE' } } },
        real.id,
      );
      refused(await step1With(altered.cookie), 'altered name');
      const fresh = await verifiedButNotUsed('taro2');
      const again = cookieBox(secret).open(fresh.cookie)!;
      const otherCard = forge(
        secret,
        {
          ...again.data,
          cardVerified: { ...(again.data.cardVerified as object), authCertFingerprint: 'ab'.repeat(32) },
        },
        again.id,
      );
      refused(await step1With(otherCard.cookie), 'another fingerprint');
    });

    test('a real card step used once, then its cookie replayed, or taken to another browser session', async () => {
      const { b, cookie } = await verifiedButNotUsed('taro');
      const first = await b.get('/registration/step1');
      assert.equal(first.status, 200, 'the real browser gets its STEP1');
      assert.match(first.body, /STEP1/);
      refused(await step1With(cookie), 'replayed copy');

      const other = await verifiedButNotUsed('taro');
      const real = cookieBox(secret).open(other.cookie)!;
      const moved = forge(secret, real.data); // same result, a different browser session id
      refused(await step1With(moved.cookie), 'another browser session');
    });
  });
}
