// Defect 1 of issue 11, black box: one card is one account. A card registers once; then the
// same card's authentication certificate, re-encoded in its unsigned outer layer (every
// signature still valid), is posted through the card step as a "new" card. The portal must
// refuse it (already registered, or not a certificate) and neither create a second user nor
// queue a second email.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { catalogs } from '../../../portal/i18n/index.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { outerVariants, splitCertificate } from '../../helpers/cert-variants.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import {
  FOREIGN_NATIONAL,
  notice,
  setupPki,
  signedToken,
  TestBrowser,
  type TestPki,
} from '../registration/helpers.ts';

const en = catalogs.en.registration;
const refusals = [en.notices.card_already_registered, en.notices.certificate_invalid];

let pki: TestPki;
before(async () => {
  pki = await setupPki({ taro: 'taro', legacy: 'taro' });
});
after(() => pki.close());

for (const kind of databaseKinds()) {
  describe(`one card is one account (${kind})`, () => {
    let handle: DatabaseHandle;
    let portal: TestPortal;
    before(async () => {
      handle = await openTestDatabase(kind);
      portal = await startPortal(handle.db, pki.env);
    });
    after(async () => {
      await portal.close();
      await handle.close();
    });

    const browser = () => {
      const b = new TestBrowser(portal.app);
      b.cookies.set('lang', 'en');
      return b;
    };

    /** STEP1 → STEP2 → Registration with this email; returns where Registration sent the browser. */
    async function completeRegistration(b: TestBrowser, email: string): Promise<string> {
      const r = await b.post('/registration/step1', { ...FOREIGN_NATIONAL, email, emailConfirm: email });
      if (r.location !== '/registration/step2') return r.location;
      await b.get('/registration/step2');
      return (await b.post('/registration/step2', { _action: 'register' })).location;
    }

    const count = async (table: 'users' | 'outbox' | 'user_cards') =>
      (
        await handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;

    test('a re-encoded authentication certificate neither registers again nor mails again', async () => {
      const card = pki.cards.taro!;
      const first = browser();
      await first.passCardStep(card, portal.url);
      assert.equal(await completeRegistration(first, 'first@example.jp'), '/registration/complete');
      assert.equal(Number(await count('users')), 1);
      assert.equal(Number(await count('outbox')), 1);

      const original = new Uint8Array(Buffer.from(card.auth.certificate, 'base64'));
      const outcomes: Record<string, string> = {};
      let i = 0;
      for (const [name, der] of Object.entries(outerVariants(original))) {
        const b = browser();
        const { nonce } = await b.startCardStep();
        // The card signs the token message over origin and nonce only, so swapping the
        // certificate for a re-encoded copy keeps every signature valid.
        const token = JSON.parse(await signedToken(card, portal.url, nonce)) as Record<string, unknown>;
        token.authCertificate = Buffer.from(der).toString('base64');
        const landed = await b.follow(
          await b.crossSitePost('/card/callback', { nonce, token: JSON.stringify(token) }),
        );
        outcomes[name] = notice(landed.body);
        // Had the portal taken it for a new card, finish the registration as an attacker would.
        if (/\(STEP1\)/.test(landed.body)) await completeRegistration(b, `again${i++}@example.jp`);
      }

      assert.equal(
        Number(await count('users')),
        1,
        `second accounts were created: ${JSON.stringify(outcomes)}`,
      );
      assert.equal(Number(await count('user_cards')), 1);
      assert.equal(Number(await count('outbox')), 1, 'a second completion email was queued');
      for (const [name, shown] of Object.entries(outcomes)) {
        assert.ok(refusals.includes(shown), `${name}: refused with "${shown}"`);
      }
    });

    test('the card as read from the card is still recognised as registered', async () => {
      const r = await browser().passCardStep(pki.cards.taro!, portal.url);
      assert.equal(notice(r.body), en.notices.card_already_registered);
    });

    test('a card linked before migration 0301 is recognised and gets its identity on next use', async () => {
      const card = pki.cards.legacy!;
      const der = new Uint8Array(Buffer.from(card.auth.certificate, 'base64'));
      const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      // What the portal wrote before 0301: the fingerprint of the certificate, no identity.
      const user = await createTestUser(handle.db);
      await handle.db
        .insertInto('user_cards')
        .values({
          auth_cert_fingerprint: sha256(der),
          user_id: user.id,
          auth_cert_serial: '1',
          registration_draft_id: `d-${user.id}`,
        })
        .execute();

      // A re-encoded copy is refused before any look-up, as for any card.
      const b = browser();
      const { nonce } = await b.startCardStep();
      const token = JSON.parse(await signedToken(card, portal.url, nonce)) as Record<string, unknown>;
      token.authCertificate = Buffer.from(outerVariants(der)['non-minimal outer length']!).toString('base64');
      const refused = await b.follow(
        await b.crossSitePost('/card/callback', { nonce, token: JSON.stringify(token) }),
      );
      assert.ok(refusals.includes(notice(refused.body)));

      const r = await browser().passCardStep(card, portal.url);
      assert.equal(notice(r.body), en.notices.card_already_registered);
      const row = await handle.db
        .selectFrom('user_cards')
        .select('card_identity')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.card_identity, sha256(splitCertificate(der).tbs));
    });
  });
}
