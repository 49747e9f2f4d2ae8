import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cookieBox } from '../../portal/web/session.ts';

const row = (data: Record<string, unknown>) => ({
  id: 'abc123',
  csrfToken: 'token',
  userId: null,
  data,
  createdAt: new Date(1_799_990_000_000),
  lastSeenAt: new Date(1_800_000_000_000),
  expiresAt: new Date(1_800_001_800_000),
});

test('an anonymous session sealed into the cookie opens to the same state', () => {
  const box = cookieBox('s'.repeat(32));
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.stringMatching(/^[a-zA-Z]{1,12}$/),
        fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        {
          noNullPrototype: true,
        },
      ),
      (data) => {
        const opened = box.open(box.seal(row(data)));
        assert.deepEqual(opened, row(data));
      },
    ),
  );
});

test('a cookie that was altered, truncated or sealed with another secret does not open', () => {
  const box = cookieBox('s'.repeat(32));
  const sealed = box.seal(row({ draft: 'd1' }));
  assert.equal(cookieBox('t'.repeat(32)).open(sealed), undefined);
  assert.equal(box.open(sealed.slice(0, -4)), undefined);
  assert.equal(box.open('a.'), undefined);
  fc.assert(
    fc.property(
      fc.nat({ max: sealed.length - 3 }),
      fc.constantFrom(...'ABCDEFabcdef0123456789-_'),
      (i, ch) => {
        const at = i + 2;
        if (sealed[at] === ch) return;
        const altered = sealed.slice(0, at) + ch + sealed.slice(at + 1);
        const opened = box.open(altered);
        // base64url's last character can carry unused bits; anything that opens must be unchanged.
        if (opened) assert.deepEqual(opened, row({ draft: 'd1' }));
      },
    ),
  );
});

test('the sealed cookie does not show its contents', () => {
  const box = cookieBox('s'.repeat(32));
  const sealed = box.seal(row({ email: 'houmu@example.jp', name: 'HOUMU TARO' }));
  const bytes = Buffer.from(sealed.slice(2), 'base64url').toString('latin1');
  assert.ok(!bytes.includes('houmu') && !bytes.includes('HOUMU') && !bytes.includes('token'));
});
