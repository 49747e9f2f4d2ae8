// Housekeeping (issue 12, point 8): one scheduler removes what has expired from every table that
// collects it and queues the password reminders; what is still in use stays; one job failing
// does not keep the others from running.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { HOUSEKEEPING_JOBS, Housekeeping } from '../../portal/flows/housekeeping.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import type { Db } from '../../portal/store/schema.ts';
import { openTestPglite } from '../helpers/db.ts';
import { createTestUser } from './account/helpers.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const later = (ms: number) => new Date(NOW.getTime() + ms);

let h: DatabaseHandle;
before(async () => {
  h = await openTestPglite();
});
after(async () => {
  await h.close();
});

const warnings: string[] = [];
const log = { warn: (_f: object, message: string) => void warnings.push(message) };

/** One row that has expired and one still in use, in every table housekeeping looks after. */
async function seed(db: Db) {
  const user = await createTestUser(db, { passwordHash: 'x', passwordExpiresAt: later(29.5 * DAY) });
  for (const [id, expires] of [
    ['old', ago(60_000)],
    ['live', later(60_000)],
  ] as const) {
    await sql`INSERT INTO sessions (id, csrf_token, user_id, expires_at)
              VALUES (${`s-${id}`}, 't', ${user.id}, ${expires})`.execute(db);
    await sql`INSERT INTO registration_drafts (id, browser_session_id, card_session_id, auth_cert_fingerprint, auth_cert_serial, expires_at)
              VALUES (${`d-${id}`}, 'b', 'c', 'f', 's', ${expires})`.execute(db);
  }
  for (const [id, expires] of [
    ['old', ago(25 * 3_600_000)],
    ['live', ago(60_000)], // expired a minute ago: kept a day for a late callback
  ] as const) {
    await sql`INSERT INTO card_sessions (id, nonce_hash, browser_session_id, purpose, origin, expires_at)
              VALUES (${`c-${id}`}, ${`n-${id}`}, 'b', 'registration', 'http://localhost', ${expires})`.execute(
      db,
    );
  }
  for (const [id, expires] of [
    ['old', ago(31 * DAY)],
    ['live', ago(DAY)],
  ] as const) {
    await sql`INSERT INTO account_links (user_id, purpose, token_hash, expires_at)
              VALUES (${user.id}, 'password', ${`l-${id}`}, ${expires})`.execute(db);
    await sql`INSERT INTO outbox (template, to_address, lang, state, sent_at)
              VALUES ('password-changed', ${`${id}@example.com`}, 'en', 'sent', ${id === 'old' ? ago(31 * DAY) : ago(DAY)})`.execute(
      db,
    );
  }
  await sql`INSERT INTO signin_throttle (key, failures, window_started_at, updated_at)
            VALUES ('signin-ip:old', 1, ${ago(2 * DAY)}, ${ago(2 * DAY)}),
                   ('signin-ip:live', 1, ${ago(60_000)}, ${ago(60_000)})`.execute(db);
  return user;
}

async function ids(db: Db, table: string, column: string): Promise<string[]> {
  const r = await sql<{
    v: string;
  }>`SELECT ${sql.ref(column)}::text AS v FROM ${sql.table(table)} ORDER BY 1`.execute(db);
  return r.rows.map((x) => x.v);
}

test('one run removes what has expired everywhere, keeps what is in use, and queues due reminders', async () => {
  const user = await seed(h.db);
  const failed = await new Housekeeping({ db: h.db, log, now: () => NOW }).runOnce();
  assert.deepEqual(failed, []);
  assert.deepEqual(await ids(h.db, 'sessions', 'id'), ['s-live']);
  assert.deepEqual(await ids(h.db, 'registration_drafts', 'id'), ['d-live']);
  assert.deepEqual(await ids(h.db, 'card_sessions', 'id'), ['c-live']);
  assert.deepEqual(await ids(h.db, 'account_links', 'token_hash'), ['l-live']);
  assert.deepEqual(await ids(h.db, 'signin_throttle', 'key'), ['signin-ip:live']);
  const outbox = await sql<{ template: string; to_address: string }>`
    SELECT template, to_address FROM outbox ORDER BY id`.execute(h.db);
  assert.deepEqual(
    outbox.rows.map((r) => `${r.template} ${r.to_address}`),
    ['password-changed live@example.com', `password-reminder ${user.email}`],
    'sent mail after 30 days goes; the 30-day reminder is queued',
  );
  // Running again changes nothing: the reminder is not queued twice.
  await new Housekeeping({ db: h.db, log, now: () => NOW }).runOnce();
  const again = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(h.db);
  assert.equal(again.rows[0]!.n, 2);
});

test('a job that fails is reported and the others still run', async () => {
  await sql`INSERT INTO sessions (id, csrf_token, expires_at) VALUES ('s-gone', 't', ${ago(60_000)})`.execute(
    h.db,
  );
  warnings.length = 0;
  const broken = { name: 'broken', run: () => Promise.reject(new Error('database went away')) };
  const failed = await new Housekeeping({
    db: h.db,
    log,
    now: () => NOW,
    jobs: [broken, ...HOUSEKEEPING_JOBS],
  }).runOnce();
  assert.deepEqual(failed, ['broken']);
  assert.deepEqual(warnings, ['housekeeping: job failed (tried again next run)']);
  assert.ok(!(await ids(h.db, 'sessions', 'id')).includes('s-gone'));
});

test('started, it runs at once and stops cleanly', async () => {
  let runs = 0;
  const counting = { name: 'count', run: async () => void runs++ };
  const hk = new Housekeeping({ db: h.db, log, jobs: [counting] }).start();
  while (runs === 0) await new Promise((r) => setImmediate(r));
  await hk.stop();
  assert.equal(runs, 1, 'one run at start; the next is a period (5 minutes) away');
});
