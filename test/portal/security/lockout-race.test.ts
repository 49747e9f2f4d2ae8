// Issue 11, defect 4: throttles that cannot be raced. Every attempt is reserved in the database
// before the password is checked, so simultaneous requests — on one portal instance or on several
// sharing a database — cannot slip past a limit while the earlier ones are still being verified.
// Black box: real HTTP requests from distinct loopback source addresses (so the coarse per-address
// rate limit of the routes does not hide the race), evaluations counted in the audit log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import { newUserId } from '../../../portal/domain/user-id.ts';
import { type DatabaseHandle, openPostgres } from '../../../portal/store/db.ts';
import type { Db } from '../../../portal/store/schema.ts';
import { type DatabaseKind, databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { formToken, HttpClient, viaHttp } from '../../helpers/http-client.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import { text } from '../account/http.ts';

const GOOD = 'blue lanterns over kyoto station';

/**
 * One browser with its own session, connecting from a given loopback address (Linux routes all of
 * 127.0.0.0/8 to lo), so the portal sees a different client address per browser.
 */
class Browser extends HttpClient {
  constructor(
    base: string,
    readonly from: string,
  ) {
    super(viaHttp(base, from), { 'accept-language': 'en' });
  }

  /** Loads the form page (a session and its form token), so the POST itself can be sent later, all at once. */
  async open(path: string): Promise<this> {
    const page = await this.get(path);
    if (!formToken(page.body)) throw new Error(`no form token on ${path} (${page.status})`);
    return this;
  }
}

/** Browsers at 127.<net>.<1..n>, each with a loaded form. */
function browsers(portals: TestPortal[], net: number, n: number, path: string): Promise<Browser[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      new Browser(
        portals[i % portals.length]!.url,
        `127.${net}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
      ).open(path),
    ),
  );
}

async function countAudit(
  db: Db,
  events: string[],
  where: { userId?: string; ip?: string },
): Promise<number> {
  let q = db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('event', 'in', events);
  if (where.userId) q = q.where('user_id', '=', where.userId);
  if (where.ip) q = q.where('ip', '=', where.ip);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** A wrong password that was actually checked leaves exactly one of these. */
const EVALUATED = ['signin.failed', 'signin.locked'];

/**
 * A second handle on the same database: for PostgreSQL its own connection pool (as a second
 * portal process would have); PGlite lives in one process, so the instances share the handle.
 */
async function secondHandle(kind: DatabaseKind, handle: DatabaseHandle): Promise<DatabaseHandle> {
  if (kind === 'pglite') return { ...handle, close: async () => {} };
  const r = await handle.db
    .selectNoFrom((eb) => eb.fn<string>('current_database', []).as('name'))
    .executeTakeFirstOrThrow();
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${r.name}`;
  return openPostgres(url.toString(), 5);
}

for (const kind of databaseKinds()) {
  describe(`throttles under concurrency (${kind})`, () => {
    let handle: DatabaseHandle;
    let other: DatabaseHandle;
    let a: TestPortal;
    let b: TestPortal;
    let c: TestPortal;

    before(async () => {
      handle = await openTestDatabase(kind);
      other = await secondHandle(kind, handle);
      a = await startPortal(handle.db);
      b = await startPortal(other.db);
      c = await startPortal(handle.db);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await c?.close();
      await other?.close();
      await handle?.close();
    });

    async function userWithPassword() {
      return createTestUser(handle.db, {
        lang: 'en',
        passwordHash: await hashPassword(GOOD),
        passwordSetAt: new Date(),
        passwordExpiresAt: new Date(Date.now() + 365 * 86_400_000),
      });
    }

    async function raceOneUser(portals: TestPortal[], net: number) {
      const user = await userWithPassword();
      const crowd = await browsers(portals, net, 40, '/signin');
      const answers = await Promise.all(
        crowd.map((br, i) => br.post('/signin', { userId: user.id, password: `wrong guess ${i}` })),
      );
      for (const r of answers) assert.ok(r.status === 401 || r.status === 429, `status ${r.status}`);
      const evaluated = await countAudit(handle.db, EVALUATED, { userId: user.id });
      assert.ok(
        evaluated >= 1 && evaluated <= 5,
        `${evaluated} of 40 simultaneous wrong passwords were checked`,
      );
      const locked = answers.filter((r) => /locked because of repeated failed attempts/.test(text(r.body)));
      assert.ok(locked.length >= 35, `${locked.length} answers tell of the lock`);

      // The right password, sent last (from yet another address, on each instance): refused while locked.
      for (const [i, p] of portals.entries()) {
        const late = await new Browser(p.url, `127.${net}.9.${i + 1}`).open('/signin');
        const r = await late.post('/signin', { userId: user.id, password: GOOD });
        assert.equal(r.status, 429, 'the right password waits for the lock to end');
        assert.match(text(r.body), /locked because of repeated failed attempts/);
      }
      assert.equal(await countAudit(handle.db, ['signin.password'], { userId: user.id }), 0);

      // ASVS 7.2.1: every sign-in refused while the lock holds is an audit row of its own
      // (`signin.refused`, naming the lock), with neither password in it.
      const refusedRows = (addresses: string[]) =>
        handle.db
          .selectFrom('audit_events')
          .select(['event', 'detail', 'user_id', 'ip'])
          .where('ip', 'in', addresses)
          .where('event', '=', 'signin.refused')
          .execute();
      const late = await refusedRows(portals.map((_, i) => `127.${net}.9.${i + 1}`));
      assert.equal(late.length, portals.length, 'each refused right password is audited');
      const early = await refusedRows(crowd.map((br) => br.from));
      assert.equal(early.length + evaluated, 40, 'each of the 40 was either checked or refused and audited');
      for (const row of [...late, ...early]) {
        assert.deepEqual(row.detail, { lock: 'user' });
        assert.doesNotMatch(JSON.stringify(row), /lanterns|wrong guess/);
      }
    }

    test('40 simultaneous wrong passwords for one User ID are checked at most 5 times; the right one is then refused', async () => {
      await raceOneUser([a], 10);
    });

    test(`the same across two portal instances sharing one ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} database`, async () => {
      await raceOneUser([a, b], 11);
    });

    test('the address lock holds under concurrency: 60 simultaneous failures from one address, at most 50 checked', async () => {
      // Three instances, 20 requests each: the coarse rate limit (30 a minute per instance and
      // address) lets all 60 reach the sign-in flow, which alone must stop at 50.
      const from = '127.20.0.1';
      const crowd = await Promise.all(
        Array.from({ length: 60 }, (_, i) => new Browser([a, b, c][i % 3]!.url, from).open('/signin')),
      );
      const answers = await Promise.all(
        crowd.map((br) => br.post('/signin', { userId: newUserId(), password: 'x' })),
      );
      for (const r of answers) assert.ok(r.status === 401 || r.status === 429, `status ${r.status}`);
      const evaluated = await countAudit(handle.db, EVALUATED, { ip: from });
      assert.ok(evaluated <= 50, `${evaluated} of 60 simultaneous failures from one address were checked`);

      const user = await userWithPassword();
      const r = await (await new Browser(a.url, from).open('/signin')).post('/signin', {
        userId: user.id,
        password: GOOD,
      });
      assert.equal(r.status, 429);
      assert.match(text(r.body), /Sign-in from your network is locked/);
    });

    test('10 simultaneous requests for a password link send one link (the cooldown cannot be raced)', async () => {
      const user = await userWithPassword();
      const crowd = await browsers([a, b], 30, 10, '/password/forgot');
      const answers = await Promise.all(
        crowd.map((br) => br.post('/password/forgot', { userId: user.id, email: user.email })),
      );
      for (const r of answers) assert.equal(r.status, 200);
      const links = await handle.db
        .selectFrom('outbox')
        .select('template')
        .where('to_address', '=', user.email)
        .execute();
      assert.equal(links.length, 1, `${links.length} link emails queued`);
    });

    test('20 simultaneous link requests from one address: at most 10 accepted (10 an hour)', async () => {
      const from = '127.40.0.1';
      const crowd = await Promise.all(
        Array.from({ length: 20 }, (_, i) => new Browser([a, b][i % 2]!.url, from).open('/password/forgot')),
      );
      const answers = await Promise.all(
        crowd.map((br) => br.post('/password/forgot', { userId: newUserId(), email: 'someone@example.com' })),
      );
      const accepted = answers.filter((r) => r.status === 200).length;
      const refused = answers.filter((r) => r.status === 429).length;
      assert.equal(accepted + refused, 20);
      assert.ok(accepted <= 10, `${accepted} of 20 simultaneous requests accepted`);
    });
  });
}
