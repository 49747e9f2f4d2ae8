import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogs, langFromAcceptLanguage } from '../../portal/i18n/index.ts';

function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
    }
  } else out.set(prefix, value);
  return out;
}

test('Japanese and English catalogs have the same keys and no empty phrase', () => {
  const ja = leaves(catalogs.ja);
  const en = leaves(catalogs.en);
  assert.deepEqual([...ja.keys()].sort(), [...en.keys()].sort());
  for (const [key, value] of [...ja, ...en]) {
    if (typeof value === 'string') assert.notEqual(value.trim(), '', key);
  }
});

test('Easy Japanese (ja-easy) has every key of the English catalog, and no other', () => {
  // List items are counted as one key (`terms.sections[].body[]`): the easy summary of the Terms
  // of Use has its own paragraphs.
  const shape = (m: Map<string, unknown>) =>
    new Map([...m].map(([k, v]) => [k.replace(/\.\d+(?=\.|$)/g, '[]'), v]));
  const en = shape(leaves(catalogs.en));
  const easy = shape(leaves(catalogs['ja-easy']));
  // Named one by one, so a key added in ja and en only (by another change) says where it goes.
  const missing = [...en.keys()].filter((k) => !easy.has(k));
  const extra = [...easy.keys()].filter((k) => !en.has(k));
  assert.deepEqual(missing, [], `keys missing in portal/i18n/ja-easy/: ${missing.join(', ')}`);
  assert.deepEqual(extra, [], `keys only in portal/i18n/ja-easy/: ${extra.join(', ')}`);
  for (const [key, value] of easy) {
    if (typeof value === 'string') assert.notEqual(value.trim(), '', key);
    assert.equal(typeof value, typeof en.get(key), key);
  }
});

test('language follows Accept-Language by quality', () => {
  assert.equal(langFromAcceptLanguage(undefined), 'ja');
  assert.equal(langFromAcceptLanguage('ja,en;q=0.8'), 'ja');
  assert.equal(langFromAcceptLanguage('en-US,en;q=0.9,ja;q=0.5'), 'en');
  assert.equal(langFromAcceptLanguage('ja;q=0.3, en-GB;q=0.7'), 'en');
  assert.equal(langFromAcceptLanguage('vi,fr;q=0.9'), 'en');
  assert.equal(langFromAcceptLanguage('en;q=0, ja'), 'ja');
  // Easy Japanese is never taken from the header (no browser sends it): chosen in the switch only.
  assert.equal(langFromAcceptLanguage('ja-easy'), 'ja');
});
