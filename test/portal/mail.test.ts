// Outbox delivery through real SMTP servers: the mail catcher, a server that refuses then
// accepts, a permanent refusal, a worker stopped or crashed mid-batch, two workers at once.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMailCatcher } from '../../mailcatcher/catcher.ts';
import { formatUserId } from '../../portal/domain/user-id.ts';
import { hashLinkToken } from '../../portal/flows/account/links.ts';
import { queueCompletionEmail } from '../../portal/flows/registration/completion-email.ts';
import { openSecret, sealSecret } from '../../portal/mail/secret.ts';
import { renderMail } from '../../portal/mail/templates.tsx';
import { OutboxWorker } from '../../portal/mail/worker.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { claimOutbox, insertOutbox } from '../../portal/store/outbox.ts';
import { databaseKinds, openTestDatabase } from '../helpers/db.ts';
import { createTestUser, quietLogger, startSmtp, testConfig } from './account/helpers.ts';

test('secrets are sealed with AES-GCM and refuse another key', () => {
  const sealed = sealSecret('token-123', ['k'.repeat(40)]);
  assert.ok(!sealed.includes('token-123'));
  assert.equal(openSecret(sealed, ['k'.repeat(40)]), 'token-123');
  assert.throws(() => openSecret(sealed, ['x'.repeat(40)]));
});

test('the completion email is written in the user’s language with the other below, text and HTML', () => {
  const ctx = {
    publicOrigin: 'https://portal.example',
    fromDomain: 'residence.example',
    passwordLinkHours: 24,
  };
  const payload = { userId: '7K3M9QXD2HWE', userName: 'HOUMU TARO', linkExpiresAt: '2026-11-26T03:00:00Z' };
  const en = renderMail('registration-complete', 'en', payload, 'TOKEN', ctx);
  assert.match(en.subject, /^\[Online Residence Application System\].* \/ 【在留申請オンラインシステム】/);
  assert.ok(en.text.indexOf('has been completed') < en.text.indexOf('登録が完了しました'));
  assert.match(en.text, /User ID: 7K3M-9QXD-2HWE/);
  assert.match(en.text, /https:\/\/portal\.example\/password\/set\?token=TOKEN/);
  assert.match(en.text, /26 November 2026 at 12:00|26 November 2026, 12:00/);
  assert.match(en.text, /residence\.example/);
  assert.match(en.html, /<html lang="en">/);
  assert.match(en.html, /<section lang="ja"/);
  const ja = renderMail('registration-complete', 'ja', payload, 'TOKEN', ctx);
  assert.ok(ja.text.indexOf('登録が完了しました') < ja.text.indexOf('has been completed'));
  assert.match(ja.text, /2026年11月26日 12:00/);
  assert.throws(() => renderMail('registration-complete', 'ja', payload, undefined, ctx), /secret/);
  const hostile = renderMail(
    'password-changed',
    'en',
    { userId: 'X', userName: '<script>', at: payload.linkExpiresAt },
    undefined,
    ctx,
  );
  assert.ok(!hostile.html.includes('<script>'));
});

for (const kind of databaseKinds()) {
  describe(`outbox delivery (${kind})`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await openTestDatabase(kind);
    });
    after(async () => {
      await handle.close();
    });

    async function clearOutbox() {
      await handle.db.deleteFrom('outbox').execute();
    }

    test('the completion email reaches the mail catcher; the link secret is erased once sent', async () => {
      await clearOutbox();
      const catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
      try {
        const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}` });
        const user = await createTestUser(handle.db, { lang: 'en' });
        await handle.db
          .transaction()
          .execute((tx) => queueCompletionEmail(tx, { config, db: handle.db, now: () => new Date() }, user));
        const queued = await handle.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
        assert.equal(queued.state, 'queued');
        assert.ok(queued.secret_ciphertext?.startsWith('v2.'));
        assert.ok(!JSON.stringify(queued.payload).includes('token'));

        const worker = new OutboxWorker({ db: handle.db, config, logger: quietLogger() });
        assert.equal(await worker.runOnce(), 1);
        await worker.stop();

        const m = await catcher.waitFor((x) => x.envelopeTo.includes(user.email));
        assert.match(m.subject, /User registration complete/);
        assert.match(m.text, new RegExp(`User ID: ${formatUserId(user.id)}`));
        assert.ok(m.html?.includes(formatUserId(user.id)));
        assert.match(m.messageId ?? '', /^<outbox-\d+@residence\.localhost>$/);
        const token = /\/password\/set\?token=([A-Za-z0-9_-]{43})/.exec(m.text)?.[1];
        assert.ok(token, 'the text part carries the link');
        const link = await handle.db
          .selectFrom('account_links')
          .selectAll()
          .where('token_hash', '=', hashLinkToken(token))
          .executeTakeFirstOrThrow();
        assert.equal(link.user_id, user.id);
        const sent = await handle.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
        assert.equal(sent.state, 'sent');
        assert.equal(sent.secret_ciphertext, null);
        assert.ok(sent.sent_at);
        // The inbox lists it and shows the HTML sandboxed.
        const inbox = await (await fetch(`${catcher.url}/`)).text();
        assert.match(inbox, /User registration complete/);
        const page = await fetch(`${catcher.url}/messages/${m.id}`);
        assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
        assert.match(
          await page.text(),
          /<iframe title="[^"]+" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc=/,
        );
      } finally {
        await catcher.close();
      }
    });

    test('a server that refuses (451) and then accepts: retried with backoff, delivered once', async () => {
      await clearOutbox();
      let refusals = 1;
      const received: string[] = [];
      const smtp = await startSmtp({
        onRcptTo(_address, _session, callback) {
          if (refusals-- > 0) {
            const err = Object.assign(new Error('try again later'), { responseCode: 451 });
            callback(err);
            return;
          }
          callback();
        },
        onData(stream, _session, callback) {
          let raw = '';
          stream.on('data', (c: Buffer) => {
            raw += c.toString();
          });
          stream.on('end', () => {
            received.push(raw);
            callback();
          });
        },
      });
      try {
        const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
        const user = await createTestUser(handle.db);
        await handle.db
          .transaction()
          .execute((tx) => queueCompletionEmail(tx, { config, db: handle.db, now: () => new Date() }, user));
        let clock = Date.now();
        const worker = new OutboxWorker({
          db: handle.db,
          config,
          logger: quietLogger(),
          now: () => new Date(clock),
          backoffMs: (n) => n * 60_000,
        });
        await worker.runOnce();
        let row = await handle.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
        assert.equal(row.state, 'queued');
        assert.equal(row.attempts, 1);
        assert.match(row.last_error ?? '', /451/);
        assert.ok(row.secret_ciphertext, 'the secret stays until the message is sent');
        assert.equal(row.next_attempt_at.getTime(), clock + 60_000);
        assert.equal(await worker.runOnce(), 0, 'not before the backoff');
        clock += 61_000;
        assert.equal(await worker.runOnce(), 1);
        await worker.stop();
        row = await handle.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
        assert.equal(row.state, 'sent');
        assert.equal(row.attempts, 2);
        assert.equal(received.length, 1);
      } finally {
        await smtp.close();
      }
    });

    test('a permanent refusal (550) marks the message failed and erases the secret', async () => {
      await clearOutbox();
      const smtp = await startSmtp({
        onRcptTo(_a, _s, callback) {
          callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
        },
      });
      try {
        const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
        const user = await createTestUser(handle.db);
        await handle.db
          .transaction()
          .execute((tx) => queueCompletionEmail(tx, { config, db: handle.db, now: () => new Date() }, user));
        const worker = new OutboxWorker({ db: handle.db, config, logger: quietLogger() });
        await worker.runOnce();
        await worker.stop();
        const row = await handle.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
        assert.equal(row.state, 'failed');
        assert.equal(row.secret_ciphertext, null);
        assert.match(row.last_error ?? '', /550/);
      } finally {
        await smtp.close();
      }
    });

    async function queueMany(n: number) {
      for (let i = 0; i < n; i++) {
        await insertOutbox(handle.db, {
          template: 'password-changed',
          to: `m${i}@example.com`,
          lang: 'ja',
          payload: { userId: `U${i}`, userName: 'X', at: new Date().toISOString() },
        });
      }
    }

    test('a worker stopped mid-batch and one that crashed: nothing lost, nothing sent twice', async () => {
      await clearOutbox();
      const ids: string[] = [];
      let delay = 150;
      const smtp = await startSmtp({
        onData(stream, _session, callback) {
          let raw = '';
          stream.on('data', (c: Buffer) => {
            raw += c.toString();
          });
          stream.on('end', () => {
            ids.push(/^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim() ?? '?');
            setTimeout(callback, delay);
          });
        },
      });
      try {
        const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
        await queueMany(8);
        // A: takes a batch of 8, is asked to stop while sending the second.
        const a = new OutboxWorker({
          db: handle.db,
          config,
          logger: quietLogger(),
          batchSize: 8,
        });
        const run = a.runOnce();
        while (ids.length < 2) await new Promise((r) => setTimeout(r, 10));
        await a.stop();
        await run;
        const afterStop = await handle.db.selectFrom('outbox').select(['state', 'attempts']).execute();
        // The messages in flight when stop() was called finish; the rest go back to the queue.
        const sentOnStop = afterStop.filter((r) => r.state === 'sent').length;
        assert.equal(sentOnStop, ids.length, 'every message the server accepted is marked sent');
        assert.ok(sentOnStop >= 2 && sentOnStop < 8, `sent on stop: ${sentOnStop}`);
        assert.equal(
          afterStop.filter((r) => r.state === 'queued').length,
          8 - sentOnStop,
          'the rest handed back',
        );
        assert.ok(
          afterStop.every((r) => r.state !== 'queued' || r.attempts === 0),
          JSON.stringify(afterStop),
        );

        // C: claims 3 and crashes (never finishes); its lease runs out.
        const claimed = await claimOutbox(handle.db, 'crashed-worker', new Date(), 60_000, 3);
        assert.equal(claimed.length, 3);
        delay = 0;
        // B before the lease ends delivers only the unclaimed ones …
        const b = new OutboxWorker({ db: handle.db, config, logger: quietLogger() });
        assert.equal(await b.runOnce(), 8 - sentOnStop - 3);
        assert.equal(await b.runOnce(), 0);
        // … and after it, the crashed worker's 3.
        const later = new OutboxWorker({
          db: handle.db,
          config,
          logger: quietLogger(),
          now: () => new Date(Date.now() + 61_000),
        });
        assert.equal(await later.runOnce(), 3);
        await b.stop();
        await later.stop();
        const rows = await handle.db.selectFrom('outbox').select(['state']).execute();
        assert.ok(
          rows.every((r) => r.state === 'sent'),
          JSON.stringify(rows),
        );
        assert.equal(ids.length, 8);
        assert.equal(new Set(ids).size, 8, 'no message sent twice');
      } finally {
        await smtp.close();
      }
    });

    test('the Message-ID is recorded at the first claim, before sending, and kept by a later claim', async () => {
      await clearOutbox();
      await queueMany(1);
      // Times chosen, not read twice from the clock: the second claim is after the first lease.
      const t0 = Date.now() + 1000;
      const [first] = await claimOutbox(handle.db, 'w1', new Date(t0), 1000, 1, 'example.jp');
      assert.ok(first);
      const row = await handle.db
        .selectFrom('outbox')
        .select('message_id')
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.message_id, `<outbox-${first.id}@example.jp>`);
      // w1 died with the message in flight; after its lease, w2 sends it under the same Message-ID.
      const [again] = await claimOutbox(handle.db, 'w2', new Date(t0 + 5000), 1000, 1, 'other.example');
      assert.equal(again?.messageId, first.messageId);
    });

    test('a message queued is due at once: a claim with the clock read just after finds it, every time', async () => {
      await clearOutbox();
      // Queued by the database's clock, claimed by the worker's: PostgreSQL's now() has
      // microseconds, a Date milliseconds, and PGlite's clock ran ahead under load; the row was
      // "not yet due" (store/outbox.ts outboxValues). 40 tries, each must claim.
      let missed = 0;
      for (let i = 0; i < 40; i++) {
        await queueMany(1);
        // A long lease: an earlier message must not come back within the 40 tries.
        const claimed = await claimOutbox(handle.db, 'w', new Date(), 600_000, 10);
        if (claimed.length !== 1) missed++;
      }
      assert.equal(missed, 0, `${missed} of 40 queued messages were not due at once`);
    });

    test('two workers at once share the queue without sending anything twice', async () => {
      await clearOutbox();
      const catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
      try {
        const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}` });
        await queueMany(24);
        const workers = [1, 2].map(
          (n) =>
            new OutboxWorker({
              db: handle.db,
              config,
              logger: quietLogger(),
              batchSize: 3,
              workerId: `w${n}`,
            }),
        );
        const counts = await Promise.all(
          workers.map(async (w) => {
            let total = 0;
            for (;;) {
              const n = await w.runOnce();
              if (n === 0) return total;
              total += n;
            }
          }),
        );
        await Promise.all(workers.map((w) => w.stop()));
        assert.equal(counts[0]! + counts[1]!, 24);
        assert.equal(catcher.messages.length, 24);
        assert.equal(new Set(catcher.messages.map((m) => m.messageId)).size, 24);
        if (kind === 'postgres')
          assert.ok(
            counts.every((c) => c > 0),
            `both workers took part: ${counts}`,
          );
      } finally {
        await catcher.close();
      }
    });
  });
}
