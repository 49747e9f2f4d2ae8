import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../config/env.ts';
import { loadPortalConfig } from '../../portal/portal-config.ts';

test('defaults: portal on localhost:3000 with PGlite under data/', () => {
  const c = loadPortalConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.publicOrigin, 'http://localhost:3000');
  assert.equal(c.clientOrigin, 'http://127.0.0.1:3001');
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.dataDir, /data$/);
  assert.equal(c.trust.crlFailure, 'refuse');
  assert.equal(c.trust.allowDemoAnchors, false);
  assert.equal(c.sessionAbsoluteHours, 12);
});

test('secrets: from the environment, else random ones for a portal on this computer only', () => {
  const given = { SESSION_SECRET: 'a'.repeat(32), MAIL_SECRET_KEY: 'b'.repeat(32) };
  const c = loadPortalConfig({ PUBLIC_ORIGIN: 'https://residence.example.go.jp', ...given });
  assert.deepEqual(c.sessionSecrets, [given.SESSION_SECRET]);
  assert.deepEqual(c.mail.secretKeys, [given.MAIL_SECRET_KEY]);
  for (const origin of [
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://[::1]:3000',
    'http://portal.localhost',
  ]) {
    const d = loadPortalConfig({ PUBLIC_ORIGIN: origin });
    const [session, mail] = [d.sessionSecrets, d.mail.secretKeys];
    assert.ok(session.length === 1 && mail.length === 1, origin);
    assert.ok(session[0]!.length >= 32 && mail[0]!.length >= 32, origin);
    assert.notEqual(session[0], mail[0]);
    assert.doesNotMatch(session[0]!, /development-only/);
  }
  // Asked for, the DATA_DIR's secrets are used (the programs pass ensureDevSecrets).
  const fromDir = loadPortalConfig(
    { DATA_DIR: '/srv/x' },
    { devSecrets: (dir) => ({ sessionSecret: `${dir}-s`.padEnd(32, 's'), mailSecretKey: 'm'.repeat(32) }) },
  );
  assert.match(fromDir.sessionSecrets[0]!, /^\/srv\/x-s/);
});

test('SESSION_SECRET and MAIL_SECRET_KEY may list older keys after the current one', () => {
  const [a, b, c] = ['a'.repeat(32), 'b'.repeat(40), 'c'.repeat(32)];
  const env = {
    PUBLIC_ORIGIN: 'https://residence.example.go.jp',
    SESSION_SECRET: `${a}, ${b}`,
    MAIL_SECRET_KEY: `${c},${a}`,
  };
  const config = loadPortalConfig(env);
  assert.deepEqual(config.sessionSecrets, [a, b], 'the current key first, spaces around commas ignored');
  assert.deepEqual(config.mail.secretKeys, [c, a]);
  for (const [value, why] of [
    [`${a},short`, 'every key at least 32 characters'],
    [`${a},`, 'no empty entry'],
    [`${a},${a}`, 'no key twice'],
    [Array.from({ length: 6 }, (_, i) => String(i).repeat(32)).join(','), 'at most 5 keys'],
  ] as const) {
    for (const name of ['SESSION_SECRET', 'MAIL_SECRET_KEY']) {
      assert.throws(
        () => loadPortalConfig({ ...env, [name]: value }),
        (e: Error) =>
          e.message.startsWith(
            `${name}: expected at least 32 random characters, or a comma-separated list`,
          ) && !e.message.includes(a),
        `${name}: ${why}`,
      );
    }
  }
});

test('each bad value names its variable and what it expects', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /^PORT: expected a whole number from 1 to 65535/],
    [{ PORT: '70000' }, /^PORT: expected a whole number/],
    [{ PUBLIC_ORIGIN: 'example.go.jp' }, /^PUBLIC_ORIGIN: expected an origin/],
    [{ PUBLIC_ORIGIN: 'https://example.go.jp/path' }, /^PUBLIC_ORIGIN: expected an origin .*no path/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a URL starting with postgres:/],
    [{ CRL_FAILURE_POLICY: 'maybe' }, /^CRL_FAILURE_POLICY: expected one of refuse, allow/],
    [{ ALLOW_DEMO_TRUST_ANCHORS: 'yes' }, /^ALLOW_DEMO_TRUST_ANCHORS: expected one of true, false/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of/],
    [{ NODE_ENV: 'production' }, /^SESSION_SECRET: expected at least 32 random characters/],
    [{ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) }, /^MAIL_SECRET_KEY: expected at least 32/],
    [{ SESSION_ABSOLUTE_HOURS: '0' }, /^SESSION_ABSOLUTE_HOURS: expected a whole number from 1 to 168/],
    [{ SESSION_ABSOLUTE_HOURS: 'half a day' }, /^SESSION_ABSOLUTE_HOURS: expected a whole number/],
    // A portal others can reach never runs on generated secrets, production or not.
    [{ PUBLIC_ORIGIN: 'https://residence.example.go.jp' }, /^SESSION_SECRET: expected .*PUBLIC_ORIGIN/],
    [{ PUBLIC_ORIGIN: 'http://192.168.1.20:3000' }, /^SESSION_SECRET: expected .*not on this computer/],
    [
      { PUBLIC_ORIGIN: 'http://10.0.0.5:3000', SESSION_SECRET: 's'.repeat(32) },
      /^MAIL_SECRET_KEY: expected .*not on this computer/,
    ],
    [
      { PUBLIC_ORIGIN: 'http://127.0.0.1:3000', SESSION_SECRET: 'short' },
      /^SESSION_SECRET: expected at least 32/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadPortalConfig(env),
      (err: unknown) => err instanceof ConfigError && message.test(err.message),
      JSON.stringify(env),
    );
  }
});

test('a password inside DATABASE_URL is never echoed in the error', () => {
  assert.throws(
    () => loadPortalConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' }),
    (err: unknown) => err instanceof Error && !err.message.includes('hunter2') && err.message.includes('***'),
  );
});

test('TRUST_PROXY: none, a hop count or the proxies; required in production with the reason', () => {
  assert.deepEqual(loadPortalConfig({}).trustProxy, { kind: 'none' });
  assert.deepEqual(loadPortalConfig({ TRUST_PROXY: 'None' }).trustProxy, { kind: 'none' });
  assert.deepEqual(loadPortalConfig({ TRUST_PROXY: '2' }).trustProxy, { kind: 'hops', hops: 2 });
  assert.deepEqual(loadPortalConfig({ TRUST_PROXY: ' 10.0.0.0/8, 192.0.2.1,2001:db8::/64 ' }).trustProxy, {
    kind: 'proxies',
    ranges: ['10.0.0.0/8', '192.0.2.1', '2001:db8::/64'],
  });
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 's'.repeat(32),
    MAIL_SECRET_KEY: 'm'.repeat(32),
  };
  assert.deepEqual(loadPortalConfig({ ...production, TRUST_PROXY: 'none' }).trustProxy, { kind: 'none' });
  const cases: Array<[Record<string, string>, RegExp]> = [
    [production, /^TRUST_PROXY: expected none .*required when NODE_ENV=production, since .*one address/],
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY: expected none .*, got "true"$/],
    [{ TRUST_PROXY: '0' }, /^TRUST_PROXY: expected none .*1 to 10/],
    [{ TRUST_PROXY: '11' }, /^TRUST_PROXY: expected/],
    [{ TRUST_PROXY: '0.0.0.0/0' }, /^TRUST_PROXY: expected .*not \/0.*, got "0.0.0.0\/0"$/],
    [{ TRUST_PROXY: '::/0' }, /^TRUST_PROXY: expected/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY: expected .*, got "10.0.0.0\/33"$/],
    [{ TRUST_PROXY: '10.0.0.1, lb.example' }, /^TRUST_PROXY: expected .*, got "lb.example"$/],
    [{ TRUST_PROXY: ',' }, /^TRUST_PROXY: expected/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadPortalConfig(env),
      (err: unknown) =>
        err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'),
      JSON.stringify(env),
    );
  }
});

test('production: PUBLIC_ORIGIN must be https unless it is on this computer', () => {
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 's'.repeat(32),
    MAIL_SECRET_KEY: 'm'.repeat(32),
    TRUST_PROXY: 'none',
  };
  for (const origin of [
    'http://residence.example.go.jp',
    'http://192.168.1.20:3000',
    'http://[2001:db8::1]',
  ]) {
    assert.throws(
      () => loadPortalConfig({ ...production, PUBLIC_ORIGIN: origin }),
      (err: unknown) =>
        err instanceof ConfigError &&
        /^PUBLIC_ORIGIN: expected an https: origin when NODE_ENV=production .*, got "http:/.test(
          err.message,
        ) &&
        !err.message.includes('\n'),
      origin,
    );
  }
  for (const origin of [
    'https://residence.example.go.jp',
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://[::1]:3000',
  ]) {
    assert.equal(loadPortalConfig({ ...production, PUBLIC_ORIGIN: origin }).publicOrigin, origin);
  }
  // Outside production an http: origin is still accepted (with real secrets when others can reach it).
  assert.equal(
    loadPortalConfig({
      PUBLIC_ORIGIN: 'http://192.168.1.20:3000',
      SESSION_SECRET: 's'.repeat(32),
      MAIL_SECRET_KEY: 'm'.repeat(32),
    }).publicOrigin,
    'http://192.168.1.20:3000',
  );
});

test('metrics, outbox timing and shutdown drain: off / 300 s / 30 s / 0 s unless set, validated', () => {
  const d = loadPortalConfig({});
  assert.deepEqual(d.metrics, { port: undefined, host: '127.0.0.1' });
  assert.deepEqual(d.outbox, { leaseSeconds: 300, retrySeconds: 30 });
  assert.equal(d.shutdownDrainSeconds, 0);
  const c = loadPortalConfig({
    METRICS_PORT: '9464',
    METRICS_HOST: '10.0.0.5',
    OUTBOX_LEASE_SECONDS: '20',
    OUTBOX_RETRY_SECONDS: '2',
    SHUTDOWN_DRAIN_SECONDS: '3',
  });
  assert.deepEqual(c.metrics, { port: 9464, host: '10.0.0.5' });
  assert.deepEqual(c.outbox, { leaseSeconds: 20, retrySeconds: 2 });
  assert.equal(c.shutdownDrainSeconds, 3);
  assert.throws(() => loadPortalConfig({ METRICS_PORT: 'x' }), /METRICS_PORT/);
  assert.throws(() => loadPortalConfig({ OUTBOX_LEASE_SECONDS: '1' }), /OUTBOX_LEASE_SECONDS/);
});
