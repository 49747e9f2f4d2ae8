// docs/glossary.md is the one list of terms (issue 15): every string of the portal's and the
// client software's catalogs, and the demo cards' descriptions the client shows, uses its words
// and none of the words it rules out, in Japanese and in English.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEMO_CARDS } from '../card/pki/demo.ts';
import { catalogs as clientCatalogs } from '../client/i18n/index.ts';
import { catalogs as portalCatalogs } from '../portal/i18n/index.ts';

interface Row {
  ja: string;
  en: string;
  notJa: string[];
  notEn: string[];
}

function readGlossary(): Row[] {
  const md = readFileSync(path.resolve(import.meta.dirname, '../docs/glossary.md'), 'utf8');
  const rows = md
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|---'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  assert.deepEqual(
    rows[0],
    ['日本語', 'English', 'source', 'not (日本語)', 'not (English)'],
    'the table’s header',
  );
  return rows.slice(1).map(([ja, en, , notJa, notEn]) => ({
    ja: ja!,
    en: en!,
    notJa: notJa ? notJa.split('、').map((s) => s.trim()) : [],
    notEn: notEn ? notEn.split(',').map((s) => s.trim()) : [],
  }));
}

/** Every string a catalog can produce, with where it lives; phrase functions are called with samples. */
function strings(value: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([where, value]);
  else if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    for (const sample of ['X', 2]) {
      try {
        strings(fn(...Array.from({ length: fn.length }, () => sample)), `${where}()`, out);
      } catch {
        // a phrase that needs another kind of argument: its literal text is checked by the other sample
      }
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) strings(v, `${where}.${k}`, out);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the glossary lists each term once, with the manual’s words', () => {
  const rows = readGlossary();
  assert.ok(rows.length >= 10);
  assert.equal(new Set(rows.map((r) => r.ja)).size, rows.length, 'one row per Japanese term');
  // The manual's Japanese dialogs (1.2) name these; the client software shows those dialogs word for word.
  const dialogs = strings(clientCatalogs.ja.dialog, 'client.ja.dialog')
    .map(([, t]) => t)
    .join('\n');
  for (const term of [
    '個人番号カード',
    '署名用パスワード',
    '利用者証明用パスワード',
    '利用者クライアントソフト',
  ]) {
    assert.ok(dialogs.includes(term), `the dialogs say ${term}`);
    assert.ok(
      rows.some((r) => r.ja === term),
      `the glossary has ${term}`,
    );
  }
});

test('the catalogs follow the glossary (Japanese and English)', () => {
  const rows = readGlossary();
  const ja = [
    ...strings(portalCatalogs.ja, 'portal.ja'),
    ...strings(clientCatalogs.ja, 'client.ja'),
    ...DEMO_CARDS.map((c): [string, string] => [`card ${c.id}.ja`, c.description.ja]),
  ];
  const en = [
    ...strings(portalCatalogs.en, 'portal.en'),
    ...strings(clientCatalogs.en, 'client.en'),
    ...DEMO_CARDS.map((c): [string, string] => [`card ${c.id}.en`, c.description.en]),
  ];
  const found: string[] = [];
  for (const row of rows) {
    for (const [where, text] of ja) {
      const rest = text.replaceAll(row.ja, '');
      for (const bad of row.notJa) if (rest.includes(bad)) found.push(`${where}: ${bad} → ${row.ja}`);
    }
    for (const [where, text] of en) {
      const rest = text.replace(new RegExp(escapeRegExp(row.en), 'gi'), '');
      for (const bad of row.notEn) {
        if (new RegExp(`\\b${escapeRegExp(bad)}\\b`, 'i').test(rest))
          found.push(`${where}: ${bad} → ${row.en}`);
      }
    }
  }
  assert.deepEqual(found, []);
  // Each Japanese term is in use somewhere (a row nobody uses is a row to delete).
  const all = ja.map(([, t]) => t).join('\n');
  assert.deepEqual(
    rows.filter((r) => !all.includes(r.ja)).map((r) => r.ja),
    [],
  );
});
