// One statement of the schema: the SQL migrations. The Kysely table types are generated from a
// migrated database (npm run db:types) and row types are derived from them (portal/store/rows.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { emptyRegistrationInput } from '../../portal/domain/registration.ts';
import { draftData } from '../../portal/flows/registration/draft.ts';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { findDraft, insertDraft } from '../../portal/store/drafts.ts';
import { camel } from '../../portal/store/rows.ts';
import { schemaTypes } from '../../portal/store/schema-types.ts';
import { databaseKinds, openTestDatabase } from '../helpers/db.ts';

const generated = readFileSync(new URL('../../portal/store/tables/generated.ts', import.meta.url), 'utf8');

for (const kind of databaseKinds()) {
  describe(`schema on ${kind}`, () => {
    let h: DatabaseHandle;
    before(async () => {
      h = await openTestDatabase(kind);
    });
    after(async () => {
      await h.close();
    });

    test('the committed table types are what the migrations give (else: npm run db:types)', async () => {
      assert.equal(await schemaTypes(h.db), generated);
    });

    test('a draft read back keeps what the flow wrote, and drops values of another type', async () => {
      const now = new Date();
      const input = {
        ...emptyRegistrationInput(),
        userName: 'TARO',
        email: 'a@example.jp',
        termsAgreed: true,
      };
      const base = {
        browserSessionId: 'b',
        cardSessionId: 'c',
        authCertFingerprint: 'f',
        authCertSerial: 's',
        cardIdentity: null,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + 60_000),
      };
      const data = { prefill: { userName: 'TARO', sex: 'male' as const }, input };
      await insertDraft(h.db, { ...base, id: `d-${kind}-1`, data });
      const row = await findDraft(h.db, `d-${kind}-1`);
      assert.equal(row?.authCertSerial, 's');
      assert.deepEqual(draftData(row!.data), data);

      await insertDraft(h.db, {
        ...base,
        id: `d-${kind}-2`,
        data: {
          prefill: { sex: 'other', dateOfBirth: 19900101 },
          input: { userName: 7, termsAgreed: 'yes' },
        },
      });
      const odd = await findDraft(h.db, `d-${kind}-2`);
      assert.deepEqual(draftData(odd!.data), { prefill: {}, input: emptyRegistrationInput() });
    });
  });
}

test('rows are renamed to camelCase as their derived types say', () => {
  const row: { authCertSerial: string; sha256: string; cardIdentity: null } = camel({
    auth_cert_serial: '01',
    sha256: 'ab',
    card_identity: null,
  });
  assert.deepEqual(row, { authCertSerial: '01', sha256: 'ab', cardIdentity: null });
});
