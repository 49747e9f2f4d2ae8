// Sign-in and User ID recovery with the card, through the real card step: the emulated card
// signs the portal's challenge as the user client software would and posts to /card/callback.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { formatUserId } from '../../../portal/domain/user-id.ts';
import { userForCard } from '../../../portal/flows/account/card-signin.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { linkUserCard } from '../../../portal/store/user-cards.ts';
import { splitCertificate } from '../../helpers/cert-variants.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { setupPki, signedToken, TestBrowser, type TestPki } from '../registration/helpers.ts';
import { createTestUser } from './helpers.ts';
import { text } from './http.ts';

describe('sign-in and User ID recovery with the card', () => {
  let handle: DatabaseHandle;
  let pki: TestPki;
  let portal: TestPortal;
  let fingerprint: string;
  let identity: string;

  before(async () => {
    handle = await openTestDatabase('pglite');
    pki = await setupPki({ taro: 'taro' });
    portal = await startPortal(handle.db, pki.env);
    const der = new Uint8Array(Buffer.from(pki.cards.taro!.auth.certificate, 'base64'));
    fingerprint = createHash('sha256').update(der).digest('hex');
    identity = createHash('sha256').update(splitCertificate(der).tbs).digest('hex');
  });
  after(async () => {
    await portal.close();
    await handle.close();
    pki.close();
  });

  async function cardStep(b: TestBrowser, from: string, action: string) {
    await b.get(from);
    const start = await b.post(action);
    assert.equal(start.status, 303);
    const client = new URL(start.location);
    assert.equal(client.searchParams.get('mode'), 'authenticate', 'user ID PIN only');
    const nonce = client.searchParams.get('nonce')!;
    const token = await signedToken(pki.cards.taro!, portal.url, nonce);
    return b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
  }

  test('an unregistered card is told plainly; a registered one signs its user in', async () => {
    const b = new TestBrowser(portal.app);
    let page = await cardStep(b, '/signin', '/signin/card');
    assert.match(text(page.body), /このシステムに登録されていません/);

    // Linked as before migration 0301: the certificate fingerprint only (decision 0601).
    const user = await createTestUser(handle.db, { lang: 'en' });
    await linkUserCard(handle.db, {
      identity: null,
      fingerprint,
      userId: user.id,
      serial: '1',
      draftId: `d-${user.id}`,
    });
    page = await cardStep(b, '/signin', '/signin/card');
    assert.equal(page.status, 200);
    assert.match(text(page.body), /マイページ/);
    assert.ok(page.body.includes(formatUserId(user.id)));
    const linked = await handle.db
      .selectFrom('user_cards')
      .select('card_identity')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(linked.card_identity, identity, 'the card’s identity is filled in on its next use');
    // A card sign-in is a fresh proof: passkeys can be added at once (docs/decisions/1101).
    const passkeys = await b.get('/mypage/passkeys');
    assert.match(text(passkeys.body), /本人確認ができています/);
    assert.doesNotMatch(text(passkeys.body), /本人確認 パスキーの追加・削除には/);
    // The card result is used once.
    const again = await b.get('/signin/card/complete');
    assert.equal(again.status, 303);
  });

  test('the card recovers the User ID', async () => {
    const b = new TestBrowser(portal.app);
    const page = await cardStep(b, '/recover-user-id', '/recover-user-id/card');
    const row = await handle.db
      .selectFrom('user_cards')
      .select('user_id')
      .where('auth_cert_fingerprint', '=', fingerprint)
      .executeTakeFirstOrThrow();
    assert.ok(page.body.includes(formatUserId(row.user_id)));
  });

  test('a card result of another purpose or older than 2 minutes is refused', async () => {
    const deps = { config: portal.config, db: handle.db, now: () => new Date() };
    const req = { ip: '127.0.0.1', requestId: 'r' };
    const card = {
      purpose: 'signin',
      cardSessionId: 'c',
      cardIdentity: identity,
      authCertFingerprint: 'not the one linked',
      authCertSerial: '1',
      verifiedAt: new Date().toISOString(),
    };
    assert.equal((await userForCard(deps, card, 'signin', req)).ok, true);
    assert.deepEqual(await userForCard(deps, card, 'recover-user-id', req), { ok: false, reason: 'stale' });
    const old = { ...card, verifiedAt: new Date(Date.now() - 121_000).toISOString() };
    assert.deepEqual(await userForCard(deps, old, 'signin', req), { ok: false, reason: 'stale' });
    assert.deepEqual(await userForCard(deps, undefined, 'signin', req), { ok: false, reason: 'stale' });
  });
});
