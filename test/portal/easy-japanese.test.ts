// Easy Japanese (ja-easy, やさしい日本語): the rules of the agency's guideline that can be measured
// (docs/decisions/1110), the readings renderer, the pages over HTTP and the email.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { catalogs as clientCatalogs } from '../../client/i18n/index.ts';
import {
  bracketText,
  compileCatalog,
  compileReadings,
  easyDate,
  KANJI,
  plainText,
  readingPieces,
  renderReadingsHtml,
} from '../../design/readings.ts';
import { hashPassword } from '../../portal/domain/password-hash.ts';
import { formatUserId } from '../../portal/domain/user-id.ts';
import { catalogs, langFromAcceptLanguage } from '../../portal/i18n/index.ts';
import { renderMail } from '../../portal/mail/templates.tsx';
import type { DatabaseHandle } from '../../portal/store/db.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { startPortal, type TestPortal } from '../helpers/server.ts';
import { suitePortal } from '../helpers/suite-portal.ts';
import { createTestUser } from './account/helpers.ts';
import { Client } from './account/http.ts';

/**
 * The longest sentence, in characters of the text as read (readings and spaces not counted). The
 * guideline asks for short sentences with one idea each without giving a number; 50 is what the
 * longest one-idea sentences of its rewriting examples come to. Measured: the longest sentence of
 * the catalogs is 50 characters, most are under 30.
 */
const MAX_SENTENCE = 50;
/** Citations of data sets and licences (names that must be given as they are), not prose. */
const NOT_PROSE = new Set(['common.sources.municipalities', 'common.sources.tokens']);

/**
 * Honorific and humble forms (敬語), and polite prefixes the guideline replaces with plain words.
 * 「ください」 stays: the guideline's own examples ask with 〜てください.
 */
const HONORIFICS = [
  'いただ',
  '頂',
  'ご覧',
  '御覧',
  '申し上げ',
  'おっしゃ',
  'いらっしゃ',
  '存じ',
  '伺',
  'ございます',
  'ております',
  'いたします',
  'なさい',
  'くださいませ',
  '様',
  '御',
  'どなた',
  'ご自身',
  'ご利用',
  'ご確認',
  'お問い合わせ',
  'お問合せ',
  'お試し',
  'お使い',
  'お住まい',
  'お持ち',
  'お読み',
  'お待ち',
  'お送り',
  'お忘れ',
  'の方',
];
/**
 * The manual's own screen words keep their official form (so the help desk and the manual still
 * match), with an easy explanation beside them: they are the only place an honorific may stay.
 */
const OFFICIAL_SCREEN_WORDS = ['パスワードをお忘れの方', '利用者IDをお忘れの方'];

function* phrases(value: unknown, key = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => string;
    yield [key, fn('2026年4月1日', '2026年4月1日')];
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* phrases(v, key ? `${key}.${k}` : k);
  }
}

const easyPhrases = [
  ...[...phrases(catalogs['ja-easy'])].map(([k, v]) => [`portal ${k}`, k, v] as const),
  ...[...phrases(clientCatalogs['ja-easy'])].map(([k, v]) => [`client ${k}`, k, v] as const),
];
/** The reading markers and what they hold, removed: what is left must have no kanji. */
const outsideReadings = (s: string) => s.replace(/\uE000[^\uE002]*\uE002/g, '');

describe('Easy Japanese catalogs: the measurable rules of the guideline', () => {
  test(`every sentence is at most ${MAX_SENTENCE} characters (readings and spaces not counted)`, () => {
    const long: string[] = [];
    let longest = 0;
    for (const [where, key, text] of easyPhrases) {
      if (NOT_PROSE.has(key)) continue;
      for (const sentence of plainText(text).split(/(?<=[。！？])|\n/)) {
        const length = sentence.replace(/\s/g, '').length;
        longest = Math.max(longest, length);
        if (length > MAX_SENTENCE) long.push(`${where} (${length}): ${sentence}`);
      }
    }
    assert.deepEqual(long, []);
    assert.ok(longest > 20, 'the catalogs were read');
  });

  test('no honorific or humble forms, except inside the official screen words', () => {
    const found: string[] = [];
    for (const [where, key, text] of easyPhrases) {
      // The argument of a function is sample text, not the catalog's: left out.
      let plain = plainText(text).replaceAll('2026年4月1日', '');
      for (const word of OFFICIAL_SCREEN_WORDS) plain = plain.replaceAll(word, '');
      for (const h of HONORIFICS) if (plain.includes(h)) found.push(`${where}: 「${h}」 in ${plain}`);
      void key;
    }
    assert.deepEqual(found, []);
  });

  test('every kanji carries a reading (the text outside readings has no kanji)', () => {
    const bare: string[] = [];
    for (const [where, , text] of easyPhrases) {
      const rest = outsideReadings(text.replaceAll('2026年4月1日', ''));
      if (KANJI.test(rest)) bare.push(`${where}: ${rest}`);
    }
    assert.deepEqual(bare, []);
  });

  test('the official screen words keep their form in Easy Japanese (with readings)', () => {
    const t = catalogs['ja-easy'];
    const ja = catalogs.ja;
    const pairs: [string, string][] = [
      [t.common.home.applicantButton, ja.common.home.applicantButton],
      [t.registration.step1.confirm, ja.registration.step1.confirm],
      [t.registration.step2.register, ja.registration.step2.register],
      [t.registration.step1.terms.agree, ja.registration.step1.terms.agree],
      [t.registration.search.search, ja.registration.search.search],
      [t.registration.search.choose, ja.registration.search.choose],
      [t.common.steps.step1, ja.common.steps.step1],
      [t.common.steps.step3, ja.common.steps.step3],
      [clientCatalogs['ja-easy'].answer.continue, clientCatalogs.ja.answer.continue],
      [clientCatalogs['ja-easy'].state.tryAgain, clientCatalogs.ja.state.tryAgain],
      [clientCatalogs['ja-easy'].dialog.cancel, clientCatalogs.ja.dialog.cancel],
    ];
    for (const [easy, official] of pairs) assert.equal(plainText(easy), official);
    // Field names: the official name first, an easy explanation beside it.
    assert.ok(
      plainText(t.registration.step1.userName.label).startsWith(ja.registration.step1.userName.label),
    );
    assert.ok(plainText(t.account.signin.forgotPassword).startsWith(ja.account.signin.forgotPassword));
    assert.notEqual(plainText(t.account.signin.forgotPassword), ja.account.signin.forgotPassword);
  });
});

describe('readings markup and rendering', () => {
  test('漢字{かんじ} and [1日]{ついたち} become ruby in text, the plain base elsewhere', () => {
    const marked = compileReadings('[1日]{ついたち}に 登録{とうろく}します');
    const html = renderReadingsHtml(
      `<title>${marked}</title><p title="${marked}">${marked}</p><select><option>${marked}</option></select>`,
      true,
    );
    assert.equal(
      html,
      '<title>1日に 登録します</title><p title="1日に 登録します"><ruby>1日<rt aria-hidden="true">ついたち</rt></ruby>に <ruby>登録<rt aria-hidden="true">とうろく</rt></ruby>します</p><select><option>1日に 登録します</option></select>',
    );
    assert.equal(renderReadingsHtml(`<p>${marked}</p>`, false), '<p>1日に 登録します</p>');
    assert.equal(bracketText(marked), '1日(ついたち)に 登録(とうろく)します');
    assert.deepEqual(readingPieces(marked, true), [
      ['1日', 'ついたち'],
      ['に '],
      ['登録', 'とうろく'],
      ['します'],
    ]);
  });

  test('a user’s own braces and the arguments of a phrase are never taken for markup', () => {
    const phrase = compileCatalog((name: string) => `${name} さん、登録{とうろく}しました`);
    const out = phrase('山田{やまだ}');
    assert.equal(renderReadingsHtml(`<p>${out}</p>`, true).includes('<ruby>山田'), false);
    assert.ok(out.startsWith('山田{やまだ} さん'));
    // An attribute holding ">" does not end the tag early.
    const html = renderReadingsHtml(`<input value="a>b ${compileReadings('登録{とうろく}')}">`, true);
    assert.equal(html, '<input value="a>b 登録">');
  });

  test('dates in the Western calendar, with the irregular day readings', () => {
    assert.equal(bracketText(easyDate(2026, 4, 1)), '2026年(ねん)4月(がつ)1日(ついたち)');
    assert.equal(bracketText(easyDate(2026, 11, 29)), '2026年(ねん)11月(がつ)29日(にち)');
    assert.equal(bracketText(easyDate(2026, 1, 20)), '2026年(ねん)1月(がつ)20日(はつか)');
  });

  test('no browser gets Easy Japanese from Accept-Language', () => {
    assert.equal(langFromAcceptLanguage('ja-easy,ja;q=0.9'), 'ja');
  });
});

/** Text in the body outside <ruby> that has kanji, leaving out elements in another language. */
export function kanjiOutsideRuby(html: string): string[] {
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  const text = body
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<ruby>[\s\S]*?<\/ruby>/g, ' ')
    // The language switch names 日本語 in its own language (lang="ja" on a link of its own).
    .replace(/<(a|span|button)\b[^>]*\slang="[^"]*"[^>]*>[^<]*<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ');
  return text.split(/\s+/).filter((w) => KANJI.test(w));
}

describe('Easy Japanese pages over HTTP', () => {
  let h: DatabaseHandle;
  let portal: TestPortal;
  before(async () => {
    h = await openTestDatabase('pglite');
    portal = await startPortal(h.db);
  });
  after(async () => {
    await portal.close();
    await h.close();
  });
  const get = (url: string, cookie = 'lang=ja-easy') =>
    portal.app.inject({ method: 'GET', url, headers: { cookie, 'accept-language': 'ja' } });

  test('chosen with ?lang=ja-easy, kept in the cookie; the switch offers all three languages', async () => {
    const res = await portal.app.inject({ method: 'GET', url: '/?lang=ja-easy' });
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers['set-cookie']), /lang=ja-easy/);
    const page = await get('/');
    assert.match(page.body, /<html lang="ja">/);
    assert.match(
      page.body,
      /aria-current="true" lang="ja">やさしい<ruby>日本語<rt aria-hidden="true">にほんご<\/rt><\/ruby>/,
    );
    assert.match(page.body, /href="\/\?lang=ja"[^>]*>日本語<\/a>/);
    assert.match(page.body, /href="\/\?lang=en"[^>]*>English<\/a>/);
    // The standard Japanese page offers Easy Japanese too.
    const ja = await get('/', 'lang=ja');
    assert.match(ja.body, /href="\/\?lang=ja-easy"/);
  });

  const pages = [
    '/',
    '/prepare',
    '/terms',
    '/sources',
    '/startup-guide',
    '/proxy-notification-number',
    '/signin',
    '/password/forgot',
    '/recover-user-id',
    '/no-such-page',
  ];
  test(`every kanji outside <title> and attributes is inside <ruby> (${pages.length} pages)`, async () => {
    for (const url of pages) {
      const res = await get(url);
      assert.ok(res.statusCode === 200 || res.statusCode === 404, url);
      assert.deepEqual(kanjiOutsideRuby(res.body), [], url);
      assert.ok(!/[\uE000-\uE004]/.test(res.body), `${url}: no marker left`);
      assert.ok(!/<title>[^<]*<ruby>/.test(res.body), `${url}: the title is plain`);
    }
  });

  test('readings can be switched off without script (?furigana=off, cookie) and on again', async () => {
    const off = await portal.app.inject({ method: 'GET', url: '/prepare?furigana=off' });
    assert.equal(off.statusCode, 303);
    assert.equal(off.headers.location, '/prepare');
    assert.match(String(off.headers['set-cookie']), /furigana=off/);
    const plain = await get('/prepare', 'lang=ja-easy; furigana=off');
    assert.ok(!plain.body.includes('<ruby>'));
    assert.match(plain.body, /利用者登録の 前に 準備するもの/);
    assert.match(plain.body, /href="\/prepare\?furigana=on"[^>]*>ふりがなを つける</);
    const on = await get('/prepare');
    assert.match(on.body, /href="\/prepare\?furigana=off"[^>]*>ふりがなを けす</);
  });

  test('the Terms of Use: an easy summary, the authoritative Japanese text one link away', async () => {
    const summary = await get('/terms');
    assert.match(summary.body, /<a href="\/terms\?text=ja">/);
    const full = await get('/terms?text=ja');
    assert.match(full.body, /<div lang="ja">/);
    assert.ok(full.body.includes(catalogs.ja.terms.intro));
    const en = await get('/terms', 'lang=en');
    assert.match(en.body, /<a href="\/terms\?text=ja">Read the Japanese text/);
  });
});

test('the email in Easy Japanese: readings in HTML, 漢字(かんじ) in text, a plain subject, standard Japanese below', () => {
  const ctx = {
    publicOrigin: 'https://portal.example',
    fromDomain: 'residence.example',
    passwordLinkHours: 24,
  };
  const payload = { userId: '7K3M9QXD2HWE', userName: 'HOUMU TARO', linkExpiresAt: '2026-11-26T03:00:00Z' };
  const mail = renderMail('registration-complete', 'ja-easy', payload, 'TOKEN', ctx);
  assert.ok(!/[\uE000-\uE004]/.test(mail.subject + mail.text + mail.html), 'no marker left');
  assert.match(mail.subject, /^【在留申請オンラインシステム】登録が 終わりました/);
  assert.ok(mail.text.includes('HOUMU TARO さん'));
  assert.ok(mail.text.includes('登録(とうろく)'));
  assert.ok(mail.text.includes('2026年(ねん)11月(がつ)26日(にち) 12:00'));
  assert.ok(
    mail.text.includes(catalogs.ja.account.mail.registrationComplete.text),
    'standard Japanese below',
  );
  assert.match(mail.html, /<ruby>登録<rt aria-hidden="true">とうろく<\/rt><\/ruby>/);
  assert.match(mail.html, /<html lang="ja">/);
});

test('the passkey emails in Easy Japanese: readings, the user’s passkey name untouched, standard Japanese below', () => {
  const ctx = {
    publicOrigin: 'https://portal.example',
    fromDomain: 'residence.example',
    passwordLinkHours: 24,
  };
  const payload = {
    userId: '7K3M9QXD2HWE',
    userName: 'HOUMU TARO',
    at: '2026-11-26T03:00:00Z',
    name: '漢字{かんじ}の端末',
  };
  for (const template of ['passkey-added', 'passkey-removed'] as const) {
    const mail = renderMail(template, 'ja-easy', payload, undefined, ctx);
    assert.ok(!/[\uE000-\uE004]/.test(mail.subject + mail.text + mail.html), `${template}: no marker left`);
    assert.ok(!/\{|\}/.test(mail.subject.replace('漢字{かんじ}の端末', '')), `${template}: subject plain`);
    assert.ok(mail.text.includes('パスキー'), template);
    assert.ok(mail.text.includes('「漢字{かんじ}の端末」'), `${template}: the name as the user typed it`);
    assert.match(mail.html, /<ruby>日本<rt aria-hidden="true">にほん<\/rt><\/ruby>/, template);
    const ja =
      template === 'passkey-added' ? catalogs.ja.passkeys.mail.added : catalogs.ja.passkeys.mail.removed;
    assert.ok(mail.text.includes(ja.heading), `${template}: standard Japanese below`);
  }
});

test('card-step notices and the try-again page have Easy Japanese with readings for every purpose', () => {
  const values = { cardSessionMinutes: 5, startupGuide: '/startup-guide' } as never;
  for (const [purpose, notices] of Object.entries(catalogs['ja-easy'].cardStep.notices)) {
    for (const [code, text] of Object.entries(notices)) {
      const s = typeof text === 'function' ? (text as (v: never) => string)(values) : text;
      assert.ok(s.includes('\uE000'), `${purpose}.${code} carries readings`);
      assert.ok(
        !KANJI.test(s.replace(/\uE000[^\uE002]*\uE002/g, '')),
        `${purpose}.${code}: every kanji read`,
      );
    }
  }
  assert.ok(catalogs['ja-easy'].common.unavailable.text.includes('\uE000'));
});

describe('Easy Japanese pages behind sign-in over HTTP', () => {
  const s = suitePortal();
  test('My page and the passkey page: every kanji outside <title> and attributes is inside <ruby>', async () => {
    const password = 'correct horse battery staple 7';
    const user = await createTestUser(s.h.db, {
      lang: 'ja-easy',
      passwordHash: await hashPassword(password),
    });
    const client = new Client(s.portal.url);
    client.setLangCookie('ja-easy');
    const signin = await client.post('/signin', { userId: formatUserId(user.id), password }, '/signin');
    assert.equal(signin.location, '/mypage');
    for (const url of ['/mypage', '/mypage/passkeys']) {
      const page = await client.get(url);
      assert.equal(page.status, 200, url);
      assert.match(page.html, /<ruby>/, url);
      assert.deepEqual(kanjiOutsideRuby(page.html), [], url);
      assert.ok(!/[\uE000-\uE004]/.test(page.html), `${url}: no marker left`);
    }
  });
});
