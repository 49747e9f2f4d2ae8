// "Use a new Individual Number card" on My page and STEP1's hint (decision 0702), through the real
// card step: the emulated card signs the portal's challenge as the user client software would.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { CardFileData } from '../../../card/emulator/card-file.ts';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import { renderMail } from '../../../portal/mail/templates.tsx';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { linkUserCard } from '../../../portal/store/user-cards.ts';
import { splitCertificate } from '../../helpers/cert-variants.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { notice, setupPki, signedToken, TestBrowser, type TestPki } from '../registration/helpers.ts';
import { createTestUser } from './helpers.ts';
import { text } from './http.ts';

const en = catalogs.en.cardRenewal;
const PASSWORD = 'lanterns over the quiet harbour';

describe('a renewed card: linked on My page, hinted at on STEP1', () => {
  let handle: DatabaseHandle;
  let pki: TestPki;
  let portal: TestPortal;
  let passwordHash: string;

  before(async () => {
    [handle, pki, passwordHash] = await Promise.all([
      openTestDatabase('pglite'),
      setupPki({
        old: 'taro',
        renewed: 'taro',
        other: 'taro',
        unused: 'taro',
        fresh: 'taro',
        kanji: 'kanji',
      }),
      hashPassword(PASSWORD),
    ]);
    portal = await startPortal(handle.db, pki.env);
  });
  after(async () => {
    await portal.close();
    await handle.close();
    pki.close();
  });

  const keysOf = (card: CardFileData) => {
    const der = new Uint8Array(Buffer.from(card.auth.certificate, 'base64'));
    return {
      fingerprint: createHash('sha256').update(der).digest('hex'),
      identity: createHash('sha256').update(splitCertificate(der).tbs).digest('hex'),
    };
  };

  /** A user with a password, linked to `card` as registration would link it. */
  async function userWithCard(card: CardFileData, email: string) {
    const user = await createTestUser(handle.db, {
      lang: 'en',
      email,
      passwordHash,
      passwordSetAt: new Date(),
      passwordExpiresAt: new Date(Date.now() + 86_400_000),
    });
    const k = keysOf(card);
    await linkUserCard(handle.db, { ...k, userId: user.id, serial: '1', draftId: `d-${user.id}` });
    return user;
  }

  /** A browser whose pages are in English. */
  function english(): TestBrowser {
    const b = new TestBrowser(portal.app);
    b.cookies.set('lang', 'en');
    return b;
  }

  async function signedIn(userId: string): Promise<TestBrowser> {
    const b = english();
    await b.get('/signin');
    const r = await b.post('/signin', { userId, password: PASSWORD });
    assert.equal(r.location, '/mypage');
    return b;
  }

  /** Posts the current password on /mypage/card and lets `card` answer the card step. */
  async function renew(b: TestBrowser, card: CardFileData, current = PASSWORD) {
    await b.get('/mypage/card');
    const start = await b.post('/mypage/card', { current });
    if (start.status !== 303) return start;
    const client = new URL(start.location);
    assert.equal(client.searchParams.get('mode'), 'authenticate', 'the user ID PIN only');
    const nonce = client.searchParams.get('nonce')!;
    const token = await signedToken(card, portal.url, nonce);
    return b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
  }

  async function cardSignIn(card: CardFileData) {
    const b = english();
    await b.get('/signin');
    const start = await b.post('/signin/card');
    const nonce = new URL(start.location).searchParams.get('nonce')!;
    const token = await signedToken(card, portal.url, nonce);
    return b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
  }

  const audit = (userId: string) =>
    handle.db
      .selectFrom('audit_events')
      .select(['event', 'detail'])
      .where('user_id', '=', userId)
      .where('event', 'like', 'card.renew%')
      .execute();

  test('My page links to it; the page asks for the current password before the card step', async () => {
    const user = await userWithCard(pki.cards.unused!, 'unused@example.com');
    const b = await signedIn(user.id);
    const my = await b.get('/mypage');
    assert.match(my.body, /<a href="\/mypage\/card">Use a new Individual Number card<\/a>/);
    const pageEn = await b.get('/mypage/card');
    assert.ok(text(pageEn.body).includes(en.page.lead));
    assert.ok(text(pageEn.body).includes(en.page.historyTitle));

    const missing = await b.post('/mypage/card', { current: '' });
    assert.equal(missing.status, 422);
    assert.ok(text(missing.body).includes(catalogs.en.account.errors.passwordRequired));
    const wrong = await b.post('/mypage/card', { current: 'not the password' });
    assert.equal(wrong.status, 422);
    assert.ok(text(wrong.body).includes(catalogs.en.account.errors.currentPasswordWrong));

    const anonymous = english();
    assert.equal((await anonymous.get('/mypage/card')).location, '/signin');
    assert.equal((await anonymous.get('/mypage/card/complete')).location, '/signin');
  });

  test('the new card replaces the link; the old one stays in the history; email and audit', async () => {
    const user = await userWithCard(pki.cards.old!, 'taro@example.com');
    // Not yet linked: the sign-in page says so (its passkey text mentions My page, so the notice decides).
    assert.equal(
      notice((await cardSignIn(pki.cards.renewed!)).body),
      catalogs.en.account.notices.cardNotRegistered,
    );

    const b = await signedIn(user.id);
    const done = await renew(b, pki.cards.renewed!);
    assert.equal(done.status, 200);
    assert.equal(text(done.body).includes('My page'), true);
    assert.match(done.body, new RegExp(en.notices.renewed.slice(0, 40)));

    const rows = await handle.db
      .selectFrom('user_cards')
      .select(['card_identity', 'replaced_at'])
      .where('user_id', '=', user.id)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.card_identity, r.replaced_at !== null]),
      [
        [keysOf(pki.cards.old!).identity, true],
        [keysOf(pki.cards.renewed!).identity, false],
      ],
      'the old card is kept, marked replaced; the new card is current',
    );
    const history = text((await b.get('/mypage/card')).body);
    assert.match(history, /Current card, linked on/);
    assert.match(history, /Linked on .*, replaced on/);

    const mail = await handle.db
      .selectFrom('outbox')
      .select(['template', 'to_address', 'lang', 'payload'])
      .where('template', '=', 'card-renewed')
      .where('to_address', '=', 'taro@example.com')
      .executeTakeFirstOrThrow();
    const rendered = renderMail(
      'card-renewed',
      mail.lang as 'en' | 'ja',
      mail.payload as Record<string, unknown>,
      undefined,
      {
        publicOrigin: portal.url,
        fromDomain: 'residence.localhost',
        passwordLinkHours: 24,
      },
    );
    assert.ok(rendered.subject.includes(en.mail.subject));
    assert.ok(rendered.text.includes(catalogs.ja.cardRenewal.mail.heading), 'both languages');
    assert.deepEqual(
      (await audit(user.id)).map((e) => e.event),
      ['card.renewed'],
    );

    // The new card signs in; the old one no longer does, and cannot register another account.
    assert.match((await cardSignIn(pki.cards.renewed!)).body, /<h1>My page<\/h1>/);
    assert.equal(
      notice((await cardSignIn(pki.cards.old!)).body),
      catalogs.en.account.notices.cardNotRegistered,
    );
    const registering = new TestBrowser(portal.app);
    const step = await registering.passCardStep(pki.cards.old!, portal.url);
    assert.equal(notice(step.body), catalogs.ja.registration.notices.card_already_registered);

    // Reading the same card again, or the replaced one: a clear message, nothing changes.
    const same = await renew(b, pki.cards.renewed!);
    assert.ok(text(same.body).includes(en.notices.same));
    const back = await renew(b, pki.cards.old!);
    assert.ok(text(back.body).includes(en.notices.replaced));
    assert.equal(
      (await handle.db.selectFrom('user_cards').select('user_id').where('user_id', '=', user.id).execute())
        .length,
      2,
    );
  });

  test('a new card already linked to another account is refused with a clear message', async () => {
    const owner = await userWithCard(pki.cards.other!, 'owner@example.com');
    const user = await createTestUser(handle.db, {
      lang: 'en',
      email: 'second@example.com',
      passwordHash,
      passwordSetAt: new Date(),
      passwordExpiresAt: new Date(Date.now() + 86_400_000),
    });
    const b = await signedIn(user.id);
    const refused = await renew(b, pki.cards.other!);
    assert.ok(text(refused.body).includes(en.page.title), 'back on the page, to read another card');
    assert.equal(notice(refused.body), en.notices.otherAccount);
    const owners = await handle.db
      .selectFrom('user_cards')
      .select(['user_id', 'replaced_at'])
      .where('card_identity', '=', keysOf(pki.cards.other!).identity)
      .execute();
    assert.deepEqual(owners, [{ user_id: owner.id, replaced_at: null }], 'the owner keeps the card');
    assert.deepEqual(
      (await audit(user.id)).map((e) => [e.event, (e.detail as { reason: string }).reason]),
      [['card.renewal.refused', 'otherAccount']],
    );
    const mails = await handle.db
      .selectFrom('outbox')
      .select('id')
      .where('template', '=', 'card-renewed')
      .where('to_address', '=', 'second@example.com')
      .execute();
    assert.equal(mails.length, 0);
  });

  test('STEP1 tells an applicant whose card matches a registered user how to link it instead', async () => {
    await createTestUser(handle.db, { email: 'registered@example.com' });
    // HOUMU TARO, male, 1990-04-01 is registered: a new TARO card gets the hint, without being blocked.
    const step1 = await new TestBrowser(portal.app).passCardStep(pki.cards.fresh!, portal.url);
    assert.equal(step1.status, 200);
    assert.match(step1.body, /id="renewal-hint"/);
    const page = text(step1.body);
    assert.ok(page.includes(catalogs.ja.cardRenewal.step1Hint.title));
    assert.ok(page.includes(catalogs.ja.cardRenewal.step1Hint.text));
    assert.match(step1.body, /<a href="\/signin">/);
    assert.match(step1.body, /id="step1-form"/, 'it does not block: the form is there');
    // 法務 花子 is not registered: no hint.
    const kanji = await new TestBrowser(portal.app).passCardStep(pki.cards.kanji!, portal.url);
    assert.equal(kanji.status, 200);
    assert.doesNotMatch(kanji.body, /id="renewal-hint"/);
  });
});
