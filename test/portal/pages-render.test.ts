// The page renderer after issue 14's render work (decision 1030): the readings pass that rewrites
// only what holds a marker, the parts rendered once and inserted (portal/html/render.ts
// `rendered`), and the compacted stylesheet and scripts. What a user sees on STEP1 must not move.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import vm from 'node:vm';
import { h } from 'preact';
import type { Basic4Prefill } from '../../card/basic4.ts';
import { CLOSE, compileReadings, MID, OPEN, plainText, renderReadingsHtml } from '../../design/readings.ts';
import { stylesheet } from '../../design/stylesheet.ts';
import { emptyRegistrationInput, type RegistrationInput } from '../../portal/domain/registration.ts';
import { USER_CATEGORIES } from '../../portal/domain/user-category.ts';
import { renderDocument } from '../../portal/html/render.ts';
import { catalogs, LANGS } from '../../portal/i18n/index.ts';
import { bundledDirectory } from '../../portal/store/municipalities.ts';
import { compactCss, compactJs } from '../../portal/web/asset-compact.ts';
import { loadAssets } from '../../portal/web/asset-registry.ts';
import { userCategoryLabel } from '../../portal/web/views/labels.ts';
import { PageContextValue } from '../../portal/web/views/page-context.ts';
import { Step1Page } from '../../portal/web/views/registration/step1.tsx';
import { renderPage } from '../../portal/web/views/render.ts';

const directory = bundledDirectory();
const prefill: Basic4Prefill = { userName: 'HOUMU TARO', sex: 'male', dateOfBirth: '1990-04-01' };
const input = (over: Partial<RegistrationInput> = {}): RegistrationInput => ({
  ...emptyRegistrationInput(),
  userName: 'HOUMU TARO',
  sex: 'male',
  dateOfBirthYear: '1990',
  dateOfBirthMonth: '4',
  dateOfBirthDay: '1',
  ...over,
});
const step1 = (lang: (typeof LANGS)[number], over: Partial<RegistrationInput> = {}, readings = true) =>
  renderPage(
    Step1Page({
      t: catalogs[lang],
      path: '/registration/step1',
      csrf: 'token',
      input: input(over),
      prefill,
      errors: {},
      directory,
    }),
    { signedIn: false, readings },
  );

/** The options of a <select> as [value, text, selected]. */
function options(html: string, selectId: string): Array<[string, string, boolean]> {
  const select = new RegExp(`<select[^>]*(?:id|name)="${selectId}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  assert.ok(select, `select ${selectId}`);
  return [...(select[1] ?? '').matchAll(/<option value(?:="([^"]*)")?( selected)?>([^<]*)<\/option>/g)].map(
    (m) => [m[1] ?? '', m[3] ?? '', Boolean(m[2])],
  );
}

/** The readings pass as first written (decision 1110): every tag and text piece, one by one. */
function readingsReference(html: string, readings: boolean): string {
  if (!html.includes(OPEN)) return html;
  const TAG = /<[A-Za-z!/][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>/g;
  const MARKER = /\uE000([^\uE000-\uE002]+)\uE001([^\uE000-\uE002]+)\uE002/g;
  const PLAIN = new Set(['title', 'option', 'textarea', 'script', 'style']);
  let out = '';
  let last = 0;
  let plainUntil: string | undefined;
  const text = (s: string) =>
    readings && !plainUntil
      ? s.replace(MARKER, '<ruby>$1<rt aria-hidden="true">$2</rt></ruby>')
      : plainText(s);
  for (const m of html.matchAll(TAG)) {
    const at = m.index ?? 0;
    out += text(html.slice(last, at));
    out += plainText(m[0]);
    last = at + m[0].length;
    const name = /^<\/?([A-Za-z0-9]+)/.exec(m[0])?.[1]?.toLowerCase();
    if (!name) continue;
    if (m[0].startsWith('</')) {
      if (plainUntil === name) plainUntil = undefined;
    } else if (!plainUntil && PLAIN.has(name) && !m[0].endsWith('/>')) plainUntil = name;
  }
  return out + text(html.slice(last));
}

describe('STEP1 as rendered: what a user sees', () => {
  for (const lang of LANGS) {
    test(`${lang}: the 47 prefectures, the user categories, the guide, the header and the footer`, () => {
      const t = catalogs[lang];
      const html = step1(lang, { prefectureCode: '13', municipalityCode: '131041', userCategory: 'spouse' });
      const prefectures = options(html, 'dialog-prefecture');
      assert.equal(prefectures.length, 48);
      assert.deepEqual(prefectures[0], ['', plainText(t.registration.search.choosePrefecture), false]);
      assert.deepEqual(
        prefectures.filter(([, , selected]) => selected).map(([code]) => code),
        ['13'],
      );
      assert.ok(
        prefectures.some(([code, name]) => code === '47' && name === (lang === 'en' ? 'Okinawa' : '沖縄県')),
      );
      const categories = options(html, 'userCategory');
      assert.deepEqual(
        categories.map(([value]) => value),
        ['', ...USER_CATEGORIES],
      );
      assert.deepEqual(
        categories.filter(([, , selected]) => selected).map(([value]) => value),
        ['spouse'],
      );
      assert.equal(categories[3]?.[1], plainText(userCategoryLabel(t, 'spouse')));
      for (const line of t.registration.step1.userCategory.guide) {
        assert.ok(html.includes(`<li>${readingsReference(line, true)}</li>`), line);
      }
      for (const href of ['/terms', '/prepare', '/sources']) assert.ok(html.includes(`<a href="${href}">`));
      assert.match(html, /<footer class="site-footer"><div class="container"><ul class="footer-links">/);
      assert.match(
        html,
        /<button type="submit" form="step1-form" name="_lang" value="en"|lang-current[^>]*lang="en"/,
      );
      assert.ok(html.includes('href="/signin"'));
    });
  }

  test('each request gets its own choice, whatever was rendered before (the kept parts are per key)', () => {
    for (const lang of LANGS) {
      const chosen = (html: string, id: string) =>
        options(html, id)
          .filter(([, , s]) => s)
          .map(([v]) => v);
      assert.deepEqual(chosen(step1(lang, { prefectureCode: '01' }), 'dialog-prefecture'), ['01']);
      assert.deepEqual(chosen(step1(lang, { prefectureCode: '47' }), 'dialog-prefecture'), ['47']);
      assert.deepEqual(chosen(step1(lang), 'dialog-prefecture'), []);
      // A code no prefecture has (a forged draft) chooses none and adds no key.
      assert.deepEqual(chosen(step1(lang, { prefectureCode: '<99>' }), 'dialog-prefecture'), []);
      assert.deepEqual(chosen(step1(lang, { userCategory: 'attorney' }), 'userCategory'), ['attorney']);
      assert.deepEqual(chosen(step1(lang, { userCategory: 'x"><b>' }), 'userCategory'), []);
    }
  });

  test('Easy Japanese: readings in the kept parts follow the switch of each request', () => {
    const on = step1('ja-easy');
    const off = step1('ja-easy', {}, false);
    assert.ok(on.includes('<ruby>'));
    assert.ok(!off.includes('<ruby>'));
    assert.ok(!on.includes(OPEN) && !off.includes(OPEN));
    // The header's readings switch offers the opposite of what the page shows.
    assert.match(on, /name="_furigana" value="off"/);
    assert.match(off, /name="_furigana" value="on"/);
  });
});

describe('readings pass', () => {
  test('the same output as the first, piece-by-piece pass, on STEP1 in every language and state', () => {
    for (const lang of LANGS) {
      for (const readings of [true, false]) {
        for (const errors of [{}, { streetAddress: 'required', termsAgreed: 'required' } as const]) {
          const page = Step1Page({
            t: catalogs[lang],
            path: '/registration/step1',
            csrf: 'token',
            input: input({ prefectureCode: '01', municipalityCode: '011011' }),
            prefill,
            errors,
            directory,
          });
          // The document before the pass, as renderPage builds it.
          const before = renderDocument(
            h(PageContextValue.Provider, { value: { signedIn: false, readings } }, page),
          );
          const html = renderReadingsHtml(before, readings);
          assert.equal(html, readingsReference(before, readings), lang);
          assert.equal(html, renderPage(page, { signedIn: false, readings }));
          assert.ok(!html.includes(OPEN), `${lang}: no marker left`);
        }
      }
    }
  });

  test('the same output as the first pass on made-up documents (markers in text, tags, plain elements)', () => {
    const m = (base: string, reading: string) => `${OPEN}${base}${MID}${reading}${CLOSE}`;
    const pieces = [
      'text ',
      m('漢字', 'かんじ'),
      '<p>',
      '</p>',
      `<a title="${m('登録', 'とうろく')}">`,
      '</a>',
      '<title>',
      '</title>',
      '<option value="1">',
      '</option>',
      '<textarea>',
      '</textarea>',
      '<script src="a.js">',
      '</script>',
      '<br/>',
      '<option/>',
      `<img alt='${m('日', 'ひ')}'/>`,
      '<input value="a>b"/>',
      '&amp;',
      '<!doctype html>',
      '<STYLE>',
      '</STYLE>',
    ];
    let seed = 14;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 3000; i++) {
      const n = Math.floor(random() * 14);
      const html = Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      for (const readings of [true, false]) {
        assert.equal(
          renderReadingsHtml(html, readings),
          readingsReference(html, readings),
          JSON.stringify(html),
        );
      }
    }
    assert.equal(
      renderReadingsHtml(`<p>${compileReadings('登録{とうろく}')}</p>`, true),
      '<p><ruby>登録<rt aria-hidden="true">とうろく</rt></ruby></p>',
    );
  });
});

describe('assets as served', () => {
  const rules = (css: string) =>
    [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)].map(([, selector, body]) => [
      (selector ?? '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([,>])\s*/g, '$1')
        .trim(),
      (body ?? '')
        .split(';')
        .map((d) =>
          d
            .replace(/\s+/g, ' ')
            .replace(/\s*:\s*/, ':')
            .replace(/,\s*/g, ',')
            .trim(),
        )
        .filter(Boolean),
    ]);

  test('the stylesheet keeps every rule and declaration, in order', () => {
    const source = stylesheet(new URL('../../portal/web/assets/site.css', import.meta.url).pathname);
    const served = compactCss(source);
    assert.ok(served.length < source.length * 0.85, `${served.length} of ${source.length} bytes`);
    assert.deepEqual(rules(served), rules(source));
    assert.ok(!served.includes('/*'));
  });

  test('each script compiles and keeps every statement line', () => {
    for (const file of ['site.js', 'municipality-search.js', 'passkeys.js']) {
      const source = readFileSync(new URL(`../../portal/web/assets/${file}`, import.meta.url), 'utf8');
      const served = compactJs(source);
      assert.doesNotThrow(() => new vm.Script(served, { filename: file }), file);
      const code = source
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('//') && !l.startsWith('/*') && !l.startsWith('*'));
      assert.deepEqual(served.trim().split('\n'), code, file);
    }
  });

  test('STEP1 with its stylesheet and scripts stays within 30 KB (ja, en)', () => {
    const assets = loadAssets();
    for (const lang of ['ja', 'en'] as const) {
      const html = step1(lang);
      const linked = [...html.matchAll(/(?:href|src)="\/assets\/([^"]+)"/g)].map((m) => m[1] ?? '');
      assert.equal(linked.length, 3, linked.join(' '));
      const bytes =
        Buffer.byteLength(html) +
        linked.reduce((n, name) => n + (assets.get(name)?.body.length ?? Infinity), 0);
      assert.ok(bytes <= 30 * 1024, `${lang}: ${bytes} bytes`);
    }
  });
});
