// What a session may hold (portal/flows/session-data.ts): read back from a cookie or a row, each
// key is checked against its schema; a value of the wrong shape is dropped, never handed on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSessionData } from '../../portal/flows/session-data.ts';
import { catalogs } from '../../portal/i18n/index.ts';

const card = {
  purpose: 'signin',
  cardSessionId: 'cs1',
  cardIdentity: 'ab'.repeat(32),
  authCertFingerprint: 'cd'.repeat(32),
  authCertSerial: '01',
  verifiedAt: '2026-04-01T00:00:00.000Z',
};

test('known keys of the right shape come back as they were', () => {
  const data = {
    notice: { kind: 'error', area: 'cardStep', purpose: 'signin', code: 'cancelled' },
    cardVerified: card,
    registrationDraftId: 'd1',
    registrationCompleted: { userId: 'A1B2C3D4E5', email: 'a@example.jp' },
    passwordLinkProblem: 'expired',
    emailLinkId: 'l1',
    proofAt: '2026-11-29T12:00:00.000Z',
  };
  assert.deepEqual(parseSessionData(data), data);
  const passkeyNotice = { kind: 'info', area: 'passkeys', code: 'added' };
  assert.deepEqual(parseSessionData({ notice: passkeyNotice }), { notice: passkeyNotice });
});

test('unknown keys and values of the wrong shape are dropped', () => {
  const parsed = parseSessionData({
    isAdmin: true,
    notice: { kind: 'error', area: 'registration', code: 'cancelled' }, // a card-step code without its purpose
    cardVerified: { ...card, purpose: 'everything' },
    registrationDraftId: 42,
    registrationCompleted: { userId: 'A1B2C3D4E5' },
    passwordLinkProblem: 'whatever',
    emailLinkId: 'x'.repeat(10_000),
    proofAt: Date.now(), // a fresh proof is an ISO string, never a number
  });
  assert.deepEqual(parseSessionData({ notice: { kind: 'info', area: 'passkeys', code: 'renewed' } }), {});
  assert.deepEqual(parsed, {});
  assert.deepEqual(parseSessionData('not an object'), {});
  assert.deepEqual(parseSessionData(null), {});
});

test('the card step’s expiry notice states the configured minutes, in both languages', () => {
  for (const lang of ['ja', 'en'] as const) {
    for (const texts of Object.values(catalogs[lang].cardStep.notices)) {
      const text = texts.request_expired({ cardSessionMinutes: 7 });
      assert.match(text, /7/, lang);
      assert.doesNotMatch(text, /5/, lang);
    }
  }
});

test('a cancelled sign-in or User ID lookup is not told that nothing was registered', () => {
  for (const lang of ['ja', 'en'] as const) {
    const n = catalogs[lang].cardStep.notices;
    for (const purpose of ['signin', 'recover-user-id', 'renew-card'] as const) {
      for (const code of ['cancelled', 'no_reader', 'certificate_expired'] as const) {
        assert.notEqual(n[purpose][code], n.registration[code], `${lang} ${purpose} ${code}`);
      }
      assert.doesNotMatch(n[purpose].no_reader, /Foreign national|外国人/, `${lang} ${purpose}`);
    }
  }
});
