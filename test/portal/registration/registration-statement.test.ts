// STEP2's Registration as one statement (portal/store/registration.ts): all or nothing, whatever
// conflicts — the draft saved again, the User ID drawn, the card — on PGlite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newUserId } from '../../../portal/domain/user-id.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { insertDraft } from '../../../portal/store/drafts.ts';
import { insertRegistration, type RegistrationWrite } from '../../../portal/store/registration.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { createTestUser } from '../account/helpers.ts';

let n = 0;

for (const kind of databaseKinds()) {
  describe(`the Registration statement (${kind})`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await openTestDatabase(kind);
    });
    after(async () => {
      await handle.close();
    });

    /** A draft in the database and the write STEP2 would make from it. */
    async function draftAndWrite(card = `card-${++n}`): Promise<RegistrationWrite> {
      const id = `draft-${kind}-${++n}`;
      const now = new Date();
      await insertDraft(handle.db, {
        id,
        browserSessionId: 'browser-1',
        cardSessionId: `cs-${n}`,
        authCertFingerprint: `fp-${card}`,
        authCertSerial: '1',
        cardIdentity: `id-${card}`,
        data: {},
        updatedAt: now,
        expiresAt: new Date(now.getTime() + 60_000),
      });
      const userId = newUserId();
      return {
        draft: { id, version: 1, browserSessionId: 'browser-1' },
        userId,
        entries: {
          userName: 'HOUMU TARO',
          sex: 'male',
          dateOfBirth: '1990-04-01',
          prefectureCode: '13',
          municipalityCode: '131016',
          streetAddress: '1-1-1 Kasumigaseki',
          telephone: '0312345678',
          email: `u${n}@example.com`,
          userCategory: 'foreign_national',
          residenceCardNumber: 'AB12345678CD',
          proxyNotificationNumber: null,
        },
        lang: 'en',
        card: { identity: `id-${card}`, fingerprint: `fp-${card}`, serial: '1' },
        link: { tokenHash: `hash-${n}`, createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
        message: {
          template: 'registration-complete',
          to: `u${n}@example.com`,
          lang: 'en',
          payload: { userId },
        },
        audit: { event: 'user.registered', userId, requestId: 'req-1' },
      };
    }

    /** What the statement left behind for this write. */
    async function rows(w: RegistrationWrite) {
      const count = async (q: Promise<{ n: number | string | bigint }[]>) => Number((await q)[0]?.n ?? 0);
      const db = handle.db;
      return {
        draft: await count(
          db
            .selectFrom('registration_drafts')
            .select((e) => e.fn.countAll().as('n'))
            .where('id', '=', w.draft.id)
            .execute(),
        ),
        user: await count(
          db
            .selectFrom('users')
            .select((e) => e.fn.countAll().as('n'))
            .where('email', '=', w.entries.email)
            .execute(),
        ),
        card: await count(
          db
            .selectFrom('user_cards')
            .select((e) => e.fn.countAll().as('n'))
            .where('registration_draft_id', '=', w.draft.id)
            .execute(),
        ),
        link: await count(
          db
            .selectFrom('account_links')
            .select((e) => e.fn.countAll().as('n'))
            .where('token_hash', '=', w.link.tokenHash)
            .execute(),
        ),
        email: await count(
          db
            .selectFrom('outbox')
            .select((e) => e.fn.countAll().as('n'))
            .where('to_address', '=', w.message.to)
            .execute(),
        ),
        audit: await count(
          db
            .selectFrom('audit_events')
            .select((e) => e.fn.countAll().as('n'))
            .where('event', '=', 'user.registered')
            .where('user_id', '=', w.userId)
            .execute(),
        ),
      };
    }

    test('writes the user, its card, the link, the email and the audit event, and deletes the draft', async () => {
      const w = await draftAndWrite();
      assert.equal(await insertRegistration(handle.db, w), 'inserted');
      assert.deepEqual(await rows(w), { draft: 0, user: 1, card: 1, link: 1, email: 1, audit: 1 });
      // A second click: the draft is gone; nothing more is written.
      assert.equal(await insertRegistration(handle.db, { ...w, userId: newUserId() }), 'draft_changed');
      assert.deepEqual(await rows(w), { draft: 0, user: 1, card: 1, link: 1, email: 1, audit: 1 });
    });

    test('a User ID already taken: nothing written, the draft kept', async () => {
      const taken = await createTestUser(handle.db);
      const w = { ...(await draftAndWrite()), userId: taken.id };
      assert.equal(await insertRegistration(handle.db, w), 'id_taken');
      assert.deepEqual(await rows(w), { draft: 1, user: 0, card: 0, link: 0, email: 0, audit: 0 });
    });

    test('a card linked meanwhile (another draft of the same card): nothing written, the draft kept', async () => {
      const first = await draftAndWrite('same-card');
      const second = await draftAndWrite('same-card');
      assert.equal(await insertRegistration(handle.db, first), 'inserted');
      assert.equal(await insertRegistration(handle.db, second), 'card_taken');
      assert.deepEqual(await rows(second), { draft: 1, user: 0, card: 0, link: 0, email: 0, audit: 0 });
    });

    test('a draft saved again since it was read (another version) or of another browser: nothing written', async () => {
      const w = await draftAndWrite();
      assert.equal(
        await insertRegistration(handle.db, { ...w, draft: { ...w.draft, version: 2 } }),
        'draft_changed',
      );
      assert.equal(
        await insertRegistration(handle.db, { ...w, draft: { ...w.draft, browserSessionId: 'browser-2' } }),
        'draft_changed',
      );
      assert.deepEqual(await rows(w), { draft: 1, user: 0, card: 0, link: 0, email: 0, audit: 0 });
    });

    test('the same card registered from two drafts at once: one user', async () => {
      const a = await draftAndWrite('raced-card');
      const b = await draftAndWrite('raced-card');
      const outcomes = await Promise.all([
        insertRegistration(handle.db, a),
        insertRegistration(handle.db, b),
      ]);
      assert.deepEqual([...outcomes].sort(), ['card_taken', 'inserted']);
      const users = await handle.db
        .selectFrom('user_cards')
        .select('user_id')
        .where('card_identity', '=', 'id-raced-card')
        .execute();
      assert.equal(users.length, 1);
    });
  });
}
