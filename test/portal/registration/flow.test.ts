// The registration flow over HTTP (app.inject), on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { textsWith } from '../../../portal/i18n/codes.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { FOREIGN_NATIONAL, notice, setupPki, signedToken, TestBrowser, type TestPki } from './helpers.ts';

const en = {
  ...catalogs.en.registration,
  notices: textsWith(catalogs.en.registration.notices, { cardSessionMinutes: 5 }),
};
const ja = catalogs.ja.registration;

let pki: TestPki;
before(async () => {
  pki = await setupPki({
    taro1: 'taro',
    taro2: 'taro',
    taro3: 'taro',
    taro4: 'taro',
    kanji: 'kanji',
    familyFirst: 'taro',
    familySecond: 'kanji',
    expired: 'expired',
    revoked: 'revoked',
    signRevoked: 'signRevoked',
  });
});
after(() => pki.close());

for (const kind of databaseKinds()) {
  describe(`registration flow (${kind})`, () => {
    let handle: DatabaseHandle;
    let portal: TestPortal;
    let clock = Date.now();
    before(async () => {
      handle = await openTestDatabase(kind);
      portal = await startPortal(handle.db, { ...pki.env, DRAFT_IDLE_MINUTES: '10' }, () => new Date(clock));
    });
    after(async () => {
      await portal.close();
      await handle.close();
    });
    const browser = (lang: 'en' | 'ja' = 'en') => {
      const b = new TestBrowser(portal.app);
      b.cookies.set('lang', lang);
      return b;
    };

    test('a browser without the card step reaches none of STEP1–STEP3', async () => {
      const b = browser();
      for (const path of ['/registration/step1', '/registration/step2', '/registration/complete']) {
        const r = await b.get(path);
        assert.equal(r.status, 303, path);
        assert.equal(r.location, '/');
        assert.equal(
          notice((await b.get('/')).body),
          en.notices.card_step_required.replaceAll('"', '&quot;'),
        );
      }
    });

    test('card step redirects to the client with a 44-character nonce', async () => {
      const b = browser('ja');
      const { nonce, clientUrl } = await b.startCardStep();
      assert.equal(clientUrl.origin, portal.config.clientOrigin);
      assert.equal(clientUrl.pathname, '/authenticate');
      assert.equal(clientUrl.searchParams.get('origin'), portal.url);
      assert.equal(clientUrl.searchParams.get('return'), `${portal.url}/card/callback`);
      assert.equal(clientUrl.searchParams.get('mode'), 'register');
      assert.equal(clientUrl.searchParams.get('lang'), 'ja');
      assert.match(nonce, /^[A-Za-z0-9+/]{43}=$/);
    });

    test('Foreign National: STEP1 errors, Back from STEP2, Registration, STEP3', async () => {
      const b = browser();
      const step1 = await b.passCardStep(pki.cards.taro1!, portal.url);
      assert.match(step1.body, /<h2>Enter user information \(STEP1\)<\/h2>/);
      assert.match(step1.body, /name="userName" value="HOUMU TARO" readonly/);
      assert.match(step1.body, /name="dateOfBirthYear" value="1990" readonly/);

      // Every error at once, entries kept, title prefixed.
      let r = await b.post('/registration/step1', { _action: 'confirm', telephone: '12', email: 'x@' });
      assert.equal(r.status, 200);
      assert.match(r.body, /<title>Error: /);
      for (const m of [
        en.errors.municipality.required,
        en.errors.streetAddress.required,
        en.errors.telephone.invalid_number,
        en.errors.email.invalid,
        en.errors.emailConfirm.required,
        en.errors.userCategory.required,
        en.errors.termsAgreed.required.replaceAll('"', '&quot;'),
      ])
        assert.ok(r.body.includes(m), m);
      assert.match(r.body, /name="telephone" value="12"/);
      assert.match(r.body, /href="#telephone"/);

      // Foreign National without a Residence Card number.
      r = await b.post('/registration/step1', { ...FOREIGN_NATIONAL, residenceCardNumber: '' });
      assert.ok(r.body.includes(en.errors.residenceCardNumber.required));

      r = await b.post('/registration/step1', { ...FOREIGN_NATIONAL, userName: 'SOMEONE ELSE' });
      assert.equal(r.location, '/registration/step2');
      let step2 = await b.get('/registration/step2');
      assert.match(step2.body, /<dd>HOUMU TARO<\/dd>/, 'the card’s name wins over a posted one');
      assert.match(step2.body, /<dd>AB12345678CD<\/dd>/);
      assert.match(step2.body, /<dd>090-1234-5678<\/dd>/, 'the telephone number as typed (stored as digits)');
      assert.match(step2.body, /<dd>Shinjuku-ku, Tokyo<\/dd>/);

      // Back keeps every entry.
      r = await b.post('/registration/step2', { _action: 'back' });
      assert.equal(r.location, '/registration/step1');
      const back = await b.get('/registration/step1');
      assert.match(back.body, /name="residenceCardNumber" value="ab12345678cd"/);
      assert.match(back.body, /id="termsAgreed" value="yes" checked/);

      // Language switch on STEP1 keeps entries and does not validate.
      r = await b.post('/registration/step1', { ...FOREIGN_NATIONAL, streetAddress: '', _lang: 'ja' });
      assert.match(r.body, /利用者情報入力（STEP1）/);
      assert.doesNotMatch(r.body, /エラー:/);
      assert.match(r.body, /name="email" value="user02@ens-test.com"/);
      b.cookies.set('lang', 'en');

      r = await b.post('/registration/step1', FOREIGN_NATIONAL);
      step2 = await b.get(r.location);
      r = await b.post('/registration/step2', { _action: 'register' });
      assert.equal(r.location, '/registration/complete');
      const step3 = await b.get('/registration/complete');
      assert.ok(step3.body.includes(en.step3.done));
      // The address is wrapped so it stays on one line (issue 15); the sentence reads the same.
      const sentence = step3.body.replace(/<span class="email-address">([^<]*)<\/span>/g, '$1');
      assert.ok(sentence.includes(en.step3.emailSent('user02@ens-test.com')));
      const shown = /id="user-id">([0-9A-Z-]+)</.exec(step3.body)![1]!;
      const userId = shown.replaceAll('-', '');

      const user = await handle.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      assert.equal(user.user_name, 'HOUMU TARO');
      assert.equal(user.date_of_birth, '1990-04-01');
      assert.equal(user.residence_card_number, 'AB12345678CD');
      assert.equal(user.telephone, '09012345678');
      assert.equal(user.street_address, '西新宿2-8-1');
      assert.equal(user.lang, 'en');
      const link = await handle.db
        .selectFrom('user_cards')
        .selectAll()
        .where('user_id', '=', userId)
        .execute();
      assert.equal(link.length, 1);
      const mail = await handle.db
        .selectFrom('outbox')
        .selectAll()
        .where('to_address', '=', 'user02@ens-test.com')
        .execute();
      assert.equal(mail.length, 1);
      const audit = await handle.db
        .selectFrom('audit_events')
        .selectAll()
        .where('user_id', '=', userId)
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.event, a.detail]),
        [['user.registered', {}]],
      );
      assert.equal((await handle.db.selectFrom('registration_drafts').selectAll().execute()).length, 0);

      // Resubmitting Registration (browser Back) shows the same user; no second one.
      r = await b.post('/registration/step2', { _action: 'register' });
      assert.equal(r.location, '/registration/complete');
      assert.equal(
        (
          await handle.db
            .selectFrom('users')
            .select('id')
            .where('email', '=', 'user02@ens-test.com')
            .execute()
        ).length,
        1,
      );
    });

    test('the same card cannot register twice', async () => {
      const b = browser();
      const r = await b.passCardStep(pki.cards.taro1!, portal.url);
      assert.equal(notice(r.body), en.notices.card_already_registered);
    });

    test('Attorney with a kanji-name card: name typed, proxy notification number required', async () => {
      const b = browser('ja');
      const step1 = await b.passCardStep(pki.cards.kanji!, portal.url);
      assert.match(step1.body, /name="userName" value autocomplete/);
      assert.doesNotMatch(step1.body, /name="userName"[^>]*readonly/);
      const form = {
        ...FOREIGN_NATIONAL,
        userName: 'ｈｏｕｍｕ　ｈａｎａｋｏ',
        email: 'attorney@example.jp',
        emailConfirm: 'ａｔｔｏｒｎｅｙ@EXAMPLE.JP',
        userCategory: 'attorney',
        residenceCardNumber: '',
      };
      let r = await b.post('/registration/step1', form);
      assert.ok(r.body.includes(ja.errors.proxyNotificationNumber.required));
      r = await b.post('/registration/step1', {
        ...form,
        proxyNotificationNumber: '１２３４５６７８９０１２',
      });
      assert.equal(r.location, '/registration/step2');
      r = await b.post('/registration/step2', { _action: 'register' });
      const step3 = await b.get(r.location);
      assert.ok(step3.body.includes(ja.step3.done));
      const user = await handle.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'attorney@example.jp')
        .executeTakeFirstOrThrow();
      assert.equal(user.user_name, 'HOUMU HANAKO');
      assert.equal(user.sex, 'female');
      assert.equal(user.proxy_notification_number, '123456789012');
      assert.equal(user.residence_card_number, null);
      assert.equal(user.user_category, 'attorney');
    });

    test('a double click on Registration registers exactly one user', async () => {
      const b = browser();
      await b.passCardStep(pki.cards.taro2!, portal.url);
      await b.post('/registration/step1', {
        ...FOREIGN_NATIONAL,
        email: 'double@example.jp',
        emailConfirm: 'double@example.jp',
      });
      const [a, c] = await Promise.all([
        b.post('/registration/step2', { _action: 'register' }),
        b.post('/registration/step2', { _action: 'register' }),
      ]);
      assert.equal(a.location, '/registration/complete');
      assert.equal(c.location, '/registration/complete');
      const users = await handle.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'double@example.jp')
        .execute();
      assert.equal(users.length, 1);
    });

    test('a replayed token is refused', async () => {
      const b = browser();
      const { nonce } = await b.startCardStep();
      const token = await signedToken(pki.cards.taro3!, portal.url, nonce);
      const first = await b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
      assert.match(first.body, /STEP1/);
      const again = await b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
      assert.equal(notice(again.body), en.notices.request_used);
    });

    const refused = async (card: string, origin: string, code: keyof typeof en.notices) => {
      const b = browser();
      const { nonce } = await b.startCardStep();
      const token = await signedToken(pki.cards[card]!, origin, nonce);
      const r = await b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
      assert.equal(notice(r.body), en.notices[code].replaceAll('"', '&quot;'), code);
    };
    test('a token signed for another origin is refused', () =>
      refused('taro3', 'https://evil.example', 'signature_invalid'));
    test('expired card certificates are refused', () =>
      refused('expired', portal.url, 'certificate_expired'));
    test('a revoked card is refused', () => refused('revoked', portal.url, 'auth_certificate_revoked'));
    test('a revoked signature certificate is explained as a change of address or name', () =>
      refused('signRevoked', portal.url, 'sign_certificate_revoked'));

    test('errors from the client software come back as their own messages', async () => {
      for (const code of ['cancelled', 'sign_password_blocked', 'no_reader', 'no_card'] as const) {
        const b = browser();
        const { nonce } = await b.startCardStep();
        const r = await b.follow(await b.crossSitePost('/card/callback', { nonce, error: code }));
        assert.equal(notice(r.body), en.notices[code].replaceAll('"', '&quot;'), code);
      }
    });

    test('a result collected by another browser is discarded', async () => {
      const b = browser();
      const other = browser();
      await other.get('/');
      const { nonce } = await b.startCardStep();
      const token = await signedToken(pki.cards.taro3!, portal.url, nonce);
      const cb = await b.crossSitePost('/card/callback', { nonce, token });
      const r = await other.follow(cb);
      assert.equal(notice(r.body), en.notices.session_mismatch);
      // …and the result is gone for the right browser too.
      assert.equal(notice((await b.follow(cb)).body), en.notices.request_used);
    });

    test('a card step older than 5 minutes has expired', async () => {
      const b = browser();
      const { nonce } = await b.startCardStep();
      const token = await signedToken(pki.cards.taro3!, portal.url, nonce);
      clock += 6 * 60_000;
      try {
        const r = await b.follow(await b.crossSitePost('/card/callback', { nonce, token }));
        assert.equal(notice(r.body), en.notices.request_expired);
      } finally {
        clock -= 6 * 60_000;
      }
    });

    test('a draft expires after the idle time, with a clear message', async () => {
      const b = browser();
      await b.passCardStep(pki.cards.taro4!, portal.url);
      await b.post('/registration/step1', FOREIGN_NATIONAL);
      const drafts = async () =>
        (await handle.db.selectFrom('registration_drafts').select('id').execute()).length;
      const before = await drafts();
      clock += 11 * 60_000;
      try {
        const r = await b.follow(await b.get('/registration/step2'));
        assert.equal(notice(r.body), en.notices.draft_expired);
        assert.equal(await drafts(), before - 1, 'the expired draft is deleted');
      } finally {
        clock -= 11 * 60_000;
      }
    });

    test('municipality search without JavaScript keeps every entry', async () => {
      const b = browser();
      await b.passCardStep(pki.cards.taro4!, portal.url);
      let r = await b.post('/registration/step1', {
        ...FOREIGN_NATIONAL,
        prefectureCode: '',
        municipalityCode: '',
        _action: 'search',
      });
      assert.equal(r.location, '/registration/municipality-search');
      r = await b.get('/registration/municipality-search?prefecture=01');
      assert.match(r.body, /value="011011"[^>]*>Sapporo-shi Chuo-ku</);
      assert.doesNotMatch(r.body, /value="011002"/, 'designated city as a whole is not offered');
      assert.doesNotMatch(r.body, /value="016951"/, 'Northern Territories are not offered');
      r = await b.post('/registration/municipality-search', { municipalityCode: '011011' });
      const step1 = await b.follow(r);
      assert.match(step1.body, /Sapporo-shi Chuo-ku, Hokkaido/);
      assert.match(step1.body, /name="telephone" value="090-1234-5678"/);
      const json = await b.get('/registration/municipalities?prefecture=13');
      const data = JSON.parse(json.body) as { municipalities: { code: string; name: string }[] };
      assert.equal(data.municipalities.length, 62);
      assert.deepEqual(data.municipalities[3], {
        code: '131041',
        name: 'Shinjuku-ku',
        place: 'Shinjuku-ku, Tokyo',
      });
    });
  });
}

// Its own portal: the card-step rate limit (20 a minute per address) is spent by the tests above.
describe('a second card on the same browser', () => {
  let handle: DatabaseHandle;
  let portal: TestPortal;
  before(async () => {
    handle = await openTestDatabase('pglite');
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

  test('a second card within the draft’s time starts a draft for that card (issue 15)', async () => {
    const b = browser();
    let step1 = await b.passCardStep(pki.cards.familyFirst!, portal.url);
    assert.match(step1.body, /name="userName" value="HOUMU TARO" readonly/);
    await b.post('/registration/step1', FOREIGN_NATIONAL);
    const draftIds = async () =>
      (await handle.db.selectFrom('registration_drafts').select('id').execute()).map((d) => d.id);
    const before = await draftIds();
    // Back to the top page, "Foreign national (applicant) / other" again, another family member's card.
    step1 = await b.passCardStep(pki.cards.familySecond!, portal.url);
    assert.match(
      step1.body,
      /name="userName" value autocomplete/,
      'STEP1 shows the second card, not the first',
    );
    assert.doesNotMatch(step1.body, /value="HOUMU TARO"|value="user02@ens-test\.com"/);
    const after = await draftIds();
    assert.equal(after.length, before.length, 'the first card’s draft is discarded');
    await b.post('/registration/step1', {
      ...FOREIGN_NATIONAL,
      userName: 'HOUMU HANAKO',
      email: 'hanako@ens-test.com',
      emailConfirm: 'hanako@ens-test.com',
    });
    const done = await b.follow(await b.post('/registration/step2', {}));
    assert.match(done.body, /hanako@ens-test\.com/, 'STEP3');
    const user = await handle.db
      .selectFrom('users')
      .select(['sex', 'date_of_birth'])
      .where('email', '=', 'hanako@ens-test.com')
      .executeTakeFirstOrThrow();
    assert.equal(user.sex, 'female', 'the second card’s holder is registered');
    // Registration linked the second card: it is now registered, the first card is still free.
    const again = browser();
    assert.equal(
      notice((await again.passCardStep(pki.cards.familySecond!, portal.url)).body),
      en.notices.card_already_registered,
    );
    const first = await again.passCardStep(pki.cards.familyFirst!, portal.url);
    assert.match(first.body, /name="userName" value="HOUMU TARO" readonly/);
  });
});

describe('CRL failure policy', () => {
  test('refuses by default when the CRL cannot be loaded; allows when configured', async () => {
    const handle = await openTestDatabase('pglite');
    const missing = { TRUST_AUTH_CRLS: `${pki.dataDir}/pki/missing.crl` };
    try {
      for (const [policy, expectStep1] of [
        ['refuse', false],
        ['allow', true],
      ] as const) {
        const portal = await startPortal(handle.db, { ...pki.env, ...missing, CRL_FAILURE_POLICY: policy });
        try {
          const b = new TestBrowser(portal.app);
          b.cookies.set('lang', 'en');
          const r = await b.passCardStep(pki.cards.taro3!, portal.url);
          if (expectStep1) assert.match(r.body, /STEP1/);
          else assert.equal(notice(r.body), en.notices.revocation_unavailable);
        } finally {
          await portal.close();
        }
      }
    } finally {
      await handle.close();
    }
  });
});
