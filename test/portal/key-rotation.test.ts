// Key rotation (issue 12, point 7): SESSION_SECRET and MAIL_SECRET_KEY list the current key
// first and older ones after it. A cookie and a queued email sealed under the old key still open
// once the list is "new,old"; with "new" alone the cookie gives way to a fresh session (no error
// page) and the outbox marks the message it cannot open as failed, saying why. Values sealed
// before key ids existed (the formats of the previous release) open too.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { sealSecret } from '../../portal/mail/secret.ts';
import { OutboxWorker } from '../../portal/mail/worker.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { insertOutbox } from '../../portal/store/outbox.ts';
import type { SessionRow } from '../../portal/store/sessions.ts';
import { cookieBox } from '../../portal/web/session.ts';
import { openTestPglite } from '../helpers/db.ts';
import { startPortal } from '../helpers/server.ts';
import { createTestUser, quietLogger, startSmtp, testConfig } from './account/helpers.ts';

const OLD = randomBytes(32).toString('base64url');
const NEW = randomBytes(32).toString('base64url');

/** An anonymous session of the browser, sealed by `seal` (as a portal with some key seals it). */
function sessionCookie(seal: (row: SessionRow, body: string) => string) {
  const now = new Date();
  const row: SessionRow = {
    id: randomBytes(16).toString('hex'),
    csrfToken: randomBytes(32).toString('base64url'),
    userId: null,
    data: {},
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 10 * 60_000),
  };
  const body = JSON.stringify({
    i: row.id,
    c: row.csrfToken,
    d: row.data,
    b: now.getTime(),
    s: now.getTime(),
    e: row.expiresAt.getTime(),
  });
  return { cookie: seal(row, body), csrfToken: row.csrfToken };
}

/** The formats of the release before key ids (portal/web/session.ts and portal/mail/secret.ts then). */
const previousRelease = {
  cookie(secret: string, body: string): string {
    const key = createHash('sha256').update(`residence-online anonymous session v1\0${secret}`).digest();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return `a.${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url')}`;
  },
  secret(secret: string, plain: string): string {
    const key = createHash('sha256').update(`outbox-secret:${secret}`).digest();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  },
};

describe('key rotation', () => {
  let h: DatabaseHandle;
  before(async () => {
    h = await openTestPglite();
  });
  after(async () => {
    await h.close();
  });

  /** GET / with the cookie: whether the browser kept its session (its form token), and the status. */
  async function visit(sessionSecret: string, s: { cookie: string; csrfToken: string }) {
    const portal = await startPortal(h.db, { SESSION_SECRET: sessionSecret });
    try {
      const res = await portal.app.inject({
        method: 'GET',
        url: '/',
        headers: { cookie: `sid=${s.cookie}` },
      });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      return { status: res.statusCode, kept: csrf === s.csrfToken, hasForm: csrf !== undefined };
    } finally {
      await portal.close();
    }
  }

  test('a session cookie sealed under the old key opens with "new,old" and gives way to a fresh session with "new"', async () => {
    const old = sessionCookie((row) => cookieBox([OLD]).seal(row));
    assert.deepEqual(await visit(OLD, old), { status: 200, kept: true, hasForm: true });
    assert.deepEqual(await visit(`${NEW},${OLD}`, old), { status: 200, kept: true, hasForm: true });
    assert.deepEqual(
      await visit(NEW, old),
      { status: 200, kept: false, hasForm: true },
      'a fresh session, no error',
    );

    // New cookies carry the current key's id: "new,old" seals under "new".
    const fresh = sessionCookie((row) => cookieBox([NEW, OLD]).seal(row)).cookie;
    assert.ok(cookieBox([NEW]).open(fresh), 'sealed under the first key of the list');
    assert.equal(cookieBox([OLD]).open(fresh), undefined);
  });

  test('a cookie of the previous release (no key id) still opens under any listed key', async () => {
    const legacy = sessionCookie((_row, body) => previousRelease.cookie(OLD, body));
    assert.deepEqual(await visit(OLD, legacy), { status: 200, kept: true, hasForm: true });
    assert.deepEqual(await visit(`${NEW},${OLD}`, legacy), { status: 200, kept: true, hasForm: true });
    assert.deepEqual(await visit(NEW, legacy), { status: 200, kept: false, hasForm: true });
  });

  test('queued mail sealed under the old key is delivered with "new,old"; with "new" alone it fails, saying why', async () => {
    const received: string[] = [];
    const smtp = await startSmtp({
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (m) => {
            received.push(m.text ?? '');
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    try {
      const user = await createTestUser(h.db, { lang: 'en' });
      const queue = async (secretCiphertext: string) =>
        insertOutbox(h.db, {
          template: 'password-link',
          to: user.email,
          lang: 'en',
          payload: {
            userId: user.id,
            userName: user.userName,
            reason: 'forgot',
            linkExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
          secretCiphertext,
        });
      const tokens = ['T'.repeat(43), 'L'.repeat(43), 'X'.repeat(43)];
      const sealedOld = await queue(sealSecret(tokens[0]!, [OLD]));
      const sealedLegacy = await queue(previousRelease.secret(OLD, tokens[1]!));
      const run = async (keys: string) => {
        const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_SECRET_KEY: keys });
        const worker = new OutboxWorker({ db: h.db, config, logger: quietLogger() });
        await worker.runOnce();
        await worker.stop();
      };
      const state = async (id: string) =>
        h.db
          .selectFrom('outbox')
          .select(['state', 'last_error'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();

      await run(`${NEW},${OLD}`);
      assert.equal((await state(sealedOld)).state, 'sent');
      assert.equal((await state(sealedLegacy)).state, 'sent');
      assert.ok(received.some((m) => m.includes(tokens[0]!)) && received.some((m) => m.includes(tokens[1]!)));

      const orphan = await queue(sealSecret(tokens[2]!, [OLD]));
      const legacyOrphan = await queue(previousRelease.secret(OLD, tokens[2]!));
      await run(NEW);
      const o = await state(orphan);
      assert.equal(o.state, 'failed');
      assert.match(
        o.last_error ?? '',
        /sealed with key [A-Za-z0-9_-]{8}, which MAIL_SECRET_KEY no longer lists/,
      );
      const l = await state(legacyOrphan);
      assert.equal(l.state, 'failed');
      assert.match(l.last_error ?? '', /sealed before key ids, and no key in MAIL_SECRET_KEY opens it/);
      assert.ok(!received.some((m) => m.includes(tokens[2]!)));
    } finally {
      await smtp.close();
    }
  });
});
