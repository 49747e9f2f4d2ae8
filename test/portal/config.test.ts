import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../portal/config.ts';
import { loadPortalConfig } from '../../portal/portal-config.ts';

test('defaults: portal on localhost:3000 with PGlite under data/', () => {
  const c = loadPortalConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.publicOrigin, 'http://localhost:3000');
  assert.equal(c.clientOrigin, 'http://127.0.0.1:3001');
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.dataDir, /data$/);
  assert.equal(c.trust.crlFailure, 'refuse');
  assert.equal(c.sessionAbsoluteHours, 12);
});

test('each bad value names its variable and what it expects', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /^PORT: expected a whole number from 1 to 65535/],
    [{ PORT: '70000' }, /^PORT: expected a whole number/],
    [{ PUBLIC_ORIGIN: 'example.go.jp' }, /^PUBLIC_ORIGIN: expected an origin/],
    [{ PUBLIC_ORIGIN: 'https://example.go.jp/path' }, /^PUBLIC_ORIGIN: expected an origin .*no path/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a URL starting with postgres:/],
    [{ CRL_FAILURE_POLICY: 'maybe' }, /^CRL_FAILURE_POLICY: expected one of refuse, allow/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of/],
    [{ NODE_ENV: 'production' }, /^SESSION_SECRET: expected at least 32 random characters/],
    [{ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) }, /^MAIL_SECRET_KEY: expected at least 32/],
    [{ SESSION_ABSOLUTE_HOURS: '0' }, /^SESSION_ABSOLUTE_HOURS: expected a whole number from 1 to 168/],
    [{ SESSION_ABSOLUTE_HOURS: 'half a day' }, /^SESSION_ABSOLUTE_HOURS: expected a whole number/],
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
