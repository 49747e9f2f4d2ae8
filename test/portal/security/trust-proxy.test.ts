// Defect 3 of issue 11: with `trustProxy: true` the client's address was the left-most
// X-Forwarded-For, which the client writes itself, so every per-address limit trusted the
// attacker. Black box: wrong sign-ins against a running portal, each from the test's own
// source address 127.0.0.1, with X-Forwarded-For values the "client" chooses.
//
// The coarse per-route limit (30 a minute) would answer 429 long before the address lock (50
// failures in 15 minutes, portal/flows/account/throttle.ts) could show, so the clock is mocked
// and moved on a minute after every 25 attempts: the lock, not the minute, decides.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, beforeEach, describe, mock, test } from 'node:test';
import fc from 'fast-check';
import { newUserId } from '../../../portal/domain/user-id.ts';
import { SIGNIN_ADDRESS } from '../../../portal/flows/account/throttle.ts';
import { addressKey } from '../../../portal/web/client-address.ts';
import { openTestDatabase } from '../../helpers/db.ts';
import { startPortal } from '../../helpers/server.ts';

type Outcome = 'wrong' | 'address locked' | 'too many' | `other ${number}`;

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/**
 * A portal of its own (own database, own in-memory rate-limit counters) with this TRUST_PROXY,
 * in production mode: the mode in which the portal used to trust every X-Forwarded-For.
 */
async function portal(trustProxy: string): Promise<string> {
  const h = await openTestDatabase('pglite');
  const p = await startPortal(h.db, {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    MAIL_SECRET_KEY: randomBytes(32).toString('base64url'),
    TRUST_PROXY: trustProxy,
    // The test PKI keeps its keys beside its roots, which production refuses unless allowed.
    ALLOW_DEMO_TRUST_ANCHORS: 'true',
  });
  closers.push(
    () => p.close(),
    () => h.close(),
  );
  return p.url;
}

/**
 * `count` wrong sign-ins, each for a different User ID (so only the address lock can engage),
 * with the X-Forwarded-For header `forwardedFor(i)` (none when undefined).
 */
async function wrongSignIns(
  base: string,
  count: number,
  forwardedFor: (i: number) => string | undefined,
  { minutePer = 25 }: { minutePer?: number } = {},
): Promise<Outcome[]> {
  const first = await fetch(`${base}/signin`, { headers: { 'accept-language': 'en' } });
  const cookie = first.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
  const outcomes: Outcome[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % minutePer === 0) mock.timers.tick(61_000);
    const xff = forwardedFor(i);
    const res = await fetch(`${base}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'accept-language': 'en',
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        ...(xff === undefined ? {} : { 'x-forwarded-for': xff }),
      },
      body: new URLSearchParams({
        _csrf: csrf,
        userId: newUserId(),
        password: 'wrong-password-1',
      }).toString(),
    });
    const html = await res.text();
    if (res.status === 401) outcomes.push('wrong');
    else if (res.status === 429 && html.includes('Sign-in from your network is locked'))
      outcomes.push('address locked');
    else if (res.status === 429 && html.includes('Too many requests')) outcomes.push('too many');
    else outcomes.push(`other ${res.status}`);
  }
  return outcomes;
}

/**
 * Wrong answers until the address lock engages at SIGNIN_ADDRESS.max failures (the failure
 * that reaches the limit may itself be told "locked"), and "locked" for every attempt after.
 */
function assertAddressLocked(outcomes: Outcome[], message?: string): void {
  const first = outcomes.findIndex((o) => o !== 'wrong');
  assert.ok(
    first === SIGNIN_ADDRESS.max - 1 || first === SIGNIN_ADDRESS.max,
    `${message ?? ''} the lock engages at ${SIGNIN_ADDRESS.max} failures: ${JSON.stringify(outcomes)}`,
  );
  assert.ok(
    outcomes.slice(first).every((o) => o === 'address locked'),
    `${message ?? ''} locked from then on: ${JSON.stringify(outcomes)}`,
  );
}
const hundredDifferent = (i: number) => `198.51.${i >> 8}.${i & 255}`;

describe('client addresses: X-Forwarded-For counts only when a listed proxy sent it', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: Date.now() }));
  afterEach(() => mock.timers.reset());

  test('TRUST_PROXY=none: 100 wrong sign-ins with 100 different X-Forwarded-For values are locked like 100 from one address', async () => {
    const oneAddress = await wrongSignIns(await portal('none'), 100, () => undefined);
    assertAddressLocked(oneAddress, 'one address:');
    const spoofed = await wrongSignIns(await portal('none'), 100, hundredDifferent);
    assert.deepEqual(spoofed, oneAddress);
  });

  test('TRUST_PROXY listing other proxies (not the source 127.0.0.1): the forwarded values are ignored', async () => {
    const base = await portal('10.0.0.0/8, 192.0.2.1, 2001:db8::/32');
    assertAddressLocked(await wrongSignIns(base, 100, hundredDifferent));
  });

  test('the coarse per-route limit (30 a minute) also counts 31 forwarded addresses as one', async () => {
    const base = await portal('none');
    const outcomes = await wrongSignIns(base, 31, hundredDifferent, { minutePer: 1000 });
    assert.deepEqual(outcomes, [...Array<Outcome>(30).fill('wrong'), 'too many']);
  });

  test('TRUST_PROXY listing 127.0.0.1: the address the proxy appended is used', async () => {
    const base = await portal('127.0.0.1');
    // 60 applicants behind the proxy, each wrong once: none is locked out by the others.
    const applicants = await wrongSignIns(base, 60, hundredDifferent);
    assert.deepEqual(applicants, Array<Outcome>(60).fill('wrong'));
    // One client writing a new left-most value each time: the proxy appended its real address.
    const spoofing = await wrongSignIns(base, 60, (i) => `${hundredDifferent(i)}, 203.0.113.7`);
    assertAddressLocked(spoofing);
  });

  test('TRUST_PROXY=1 (one hop): the right-most X-Forwarded-For entry is the client', async () => {
    const base = await portal('1');
    const spoofing = await wrongSignIns(base, 60, (i) => `${hundredDifferent(i)},203.0.113.8`);
    assertAddressLocked(spoofing);
  });

  test('IPv6 addresses within one /64 share one lock; IPv4-mapped addresses count as the IPv4 address', async () => {
    const base = await portal('127.0.0.1,::1');
    const sameSlash64 = await wrongSignIns(base, 60, (i) =>
      i % 2
        ? `2001:db8:5:6:${((i * 7919) & 0xffff).toString(16)}::${i.toString(16)}`
        : `2001:db8:5:6::ff:${i}`,
    );
    assertAddressLocked(sameSlash64, 'one /64:');
    const mapped = await wrongSignIns(base, 60, (i) => (i % 2 ? '::ffff:203.0.113.9' : '203.0.113.9'));
    assertAddressLocked(mapped, 'IPv4-mapped:');
  });
});

describe('addressKey: the string every per-address limit and the audit log receive', () => {
  test('IPv4 as is; IPv4-mapped IPv6 as the IPv4 address; IPv6 as its /64', () => {
    assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
    assert.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(addressKey('::FFFF:cb00:7109'), '203.0.113.9');
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2::'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
  });

  test('anything that is not an address gives no key (the caller falls back to the peer)', () => {
    for (const bad of [
      '',
      'unknown',
      '203.0.113.300',
      '1.2.3',
      'evil.example',
      '2001:db8::1::2',
      ' 203.0.113.9 x',
    ])
      assert.equal(addressKey(bad), undefined, bad);
  });

  test('property: two IPv6 addresses share a key exactly when their first 64 bits agree', () => {
    const address = fc.uint8Array({ minLength: 16, maxLength: 16 });
    // Written as the URL parser writes them (compressed), and fully expanded.
    const spellings = (b: Uint8Array) => {
      const full = [...Array(8).keys()].map((i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16)).join(':');
      return [full, new URL(`http://[${full}]/`).hostname.slice(1, -1)];
    };
    const isMapped = (b: Uint8Array) =>
      b.subarray(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255;
    fc.assert(
      fc.property(address, address, fc.boolean(), (a, other, sameTop) => {
        if (sameTop) other.set(a.subarray(0, 8));
        if (isMapped(a) || isMapped(other)) return;
        const keysA = spellings(a).map(addressKey);
        const keysB = spellings(other).map(addressKey);
        assert.equal(keysA[0], keysA[1]);
        assert.equal(keysB[0], keysB[1]);
        const top = (b: Uint8Array) => Buffer.from(b.subarray(0, 8)).toString('hex');
        assert.equal(keysA[0] === keysB[0], top(a) === top(other));
      }),
      { numRuns: 2000 },
    );
  });
});
