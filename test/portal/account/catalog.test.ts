// The account catalogs beyond key parity: the same interpolation arguments, notices as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account as en } from '../../../portal/i18n/en/account.ts';
import { account as ja } from '../../../portal/i18n/ja/account.ts';

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (typeof a === 'function') {
    if (typeof b !== 'function' || a.length !== b.length) out.push(path);
    return;
  }
  if (a && typeof a === 'object') {
    for (const k of Object.keys(a)) {
      walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)?.[k], `${path}.${k}`, out);
    }
  }
}

test('every phrase function takes the same arguments in both languages', () => {
  const out: string[] = [];
  walk(en, ja, 'account', out);
  assert.deepEqual(out, []);
  assert.equal(en.mail.reminder.text('X', 7).includes('7'), true);
  assert.equal(ja.mail.reminder.text('X', 7).includes('7'), true);
});

test('notices are plain text (portal/web/notice.ts shows only strings)', () => {
  for (const catalog of [en, ja]) {
    for (const v of Object.values(catalog.notices)) assert.equal(typeof v, 'string');
  }
});
