import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { listMigrations, migrate, splitStatements } from '../../portal/store/migrate.ts';
import {
  deleteExpiredSessions,
  findSession,
  insertSession,
  updateSession,
} from '../../portal/store/sessions.ts';
import { databaseKinds, openTestDatabase } from '../helpers/db.ts';

test('migration files split into single statements', () => {
  const parts = splitStatements('-- c;\nCREATE TABLE a (x int);\nCREATE INDEX i ON a (x); -- note\n');
  assert.equal(parts.length, 2);
  assert.match(parts[0]!, /CREATE TABLE a/);
  for (const m of listMigrations()) assert.ok(splitStatements(m.sql).length > 0, m.name);
});

for (const kind of databaseKinds()) {
  describe(`storage on ${kind}`, () => {
    let h: DatabaseHandle;
    before(async () => {
      h = await openTestDatabase(kind);
    });
    after(async () => {
      await h.close();
    });

    test('every migration is applied once; running again changes nothing', async () => {
      const rows = await sql<{ name: string }>`SELECT name FROM schema_migrations ORDER BY name`.execute(
        h.db,
      );
      assert.deepEqual(
        rows.rows.map((r) => r.name),
        listMigrations().map((m) => m.name),
      );
      assert.deepEqual(await migrate(h.db), []);
    });

    test('sessions are stored, updated and swept after expiry', async () => {
      const now = new Date();
      const row = {
        id: `s-${kind}-1`,
        csrfToken: 'csrf',
        userId: null,
        data: { step: 1 },
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + 60_000),
      };
      await insertSession(h.db, row);
      await updateSession(h.db, { ...row, data: { step: 2 } });
      const found = await findSession(h.db, row.id);
      assert.deepEqual(found?.data, { step: 2 });
      assert.equal(await deleteExpiredSessions(h.db, new Date(now.getTime() + 120_000)), 1);
      assert.equal(await findSession(h.db, row.id), undefined);
    });

    test('DATE columns read back as the calendar day written', async () => {
      await h.db
        .insertInto('users')
        .values({
          id: `U-${kind}`,
          user_name: 'HOUMU TARO',
          sex: 'male',
          date_of_birth: '1990-04-01',
          prefecture_code: '13',
          municipality_code: '131041',
          street_address: '1-1',
          telephone: '0312345678',
          email: 'a@example.jp',
          user_category: 'foreign_national',
          residence_card_number: null,
          proxy_notification_number: null,
          lang: 'ja',
          password_hash: null,
          password_set_at: null,
          password_expires_at: null,
        })
        .execute();
      const u = await h.db
        .selectFrom('users')
        .select('date_of_birth')
        .where('id', '=', `U-${kind}`)
        .executeTakeFirst();
      assert.equal(u?.date_of_birth, '1990-04-01');
    });
  });
}
