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

test('language follows Accept-Language by quality', () => {
  assert.equal(langFromAcceptLanguage(undefined), 'ja');
  assert.equal(langFromAcceptLanguage('ja,en;q=0.8'), 'ja');
  assert.equal(langFromAcceptLanguage('en-US,en;q=0.9,ja;q=0.5'), 'en');
  assert.equal(langFromAcceptLanguage('ja;q=0.3, en-GB;q=0.7'), 'en');
  assert.equal(langFromAcceptLanguage('vi,fr;q=0.9'), 'en');
  assert.equal(langFromAcceptLanguage('en;q=0, ja'), 'ja');
});
