import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBinding, isValidNonce, parseOrigin, parseReturnUrl } from '../../client/binding.ts';
import { loadClientConfig } from '../../client/config.ts';
import { ConfigError } from '../../config/env.ts';

const NONCE = 'q0bYk7m5u3c5bJgk0sH2mS2m1K9i5cQy2Ue9y7x6b3A=';
const opts = { allowedOrigins: ['https://portal.example.go.jp', 'http://localhost:3000'], devOrigins: true };

describe('origin rules (spec §13)', () => {
  it('accepts https origins exactly as location.origin writes them', () => {
    assert.equal(parseOrigin('https://portal.example.go.jp', false), 'https://portal.example.go.jp');
    assert.equal(
      parseOrigin('https://portal.example.go.jp:8443', false),
      'https://portal.example.go.jp:8443',
    );
  });
  it('refuses paths, trailing slashes, queries, user info, default ports and upper case', () => {
    for (const o of [
      'https://portal.example.go.jp/',
      'https://portal.example.go.jp/x',
      'https://portal.example.go.jp?a',
      'https://portal.example.go.jp#a',
      'https://u:p@portal.example.go.jp',
      'https://portal.example.go.jp:443',
      'https://PORTAL.example.go.jp',
      'ftp://portal.example.go.jp',
      'javascript:alert(1)',
      '',
      `https://${'a'.repeat(250)}.jp`,
    ]) {
      assert.equal(parseOrigin(o, true), null, o);
    }
  });
  it('allows http only for localhost / 127.0.0.1 in development mode', () => {
    assert.equal(parseOrigin('http://localhost:3000', true), 'http://localhost:3000');
    assert.equal(parseOrigin('http://127.0.0.1:3000', true), 'http://127.0.0.1:3000');
    assert.equal(parseOrigin('http://localhost:3000', false), null);
    assert.equal(parseOrigin('http://portal.example.go.jp', true), null);
  });
  it('return URL must be on the origin', () => {
    assert.equal(
      parseReturnUrl('https://portal.example.go.jp/card/return', 'https://portal.example.go.jp'),
      'https://portal.example.go.jp/card/return',
    );
    assert.equal(parseReturnUrl('https://evil.example/card/return', 'https://portal.example.go.jp'), null);
    assert.equal(
      parseReturnUrl('https://portal.example.go.jp.evil.example/x', 'https://portal.example.go.jp'),
      null,
    );
    assert.equal(parseReturnUrl('https://x@portal.example.go.jp/x', 'https://portal.example.go.jp'), null);
    assert.equal(parseReturnUrl('/relative', 'https://portal.example.go.jp'), null);
  });
  it('nonce is 44–128 characters of base64 / base64url', () => {
    assert.ok(isValidNonce(NONCE));
    assert.ok(isValidNonce('A'.repeat(128)));
    assert.ok(isValidNonce('-_'.repeat(22)));
    assert.ok(!isValidNonce('A'.repeat(43)));
    assert.ok(!isValidNonce('A'.repeat(129)));
    assert.ok(!isValidNonce(`${'A'.repeat(43)}<`));
    assert.ok(!isValidNonce(['a']));
  });
});

describe('checkBinding', () => {
  const q = {
    origin: 'https://portal.example.go.jp',
    nonce: NONCE,
    return: 'https://portal.example.go.jp/r',
    lang: 'en',
    mode: 'authenticate',
  };
  it('accepts a good request', () => {
    assert.deepEqual(checkBinding(q, opts), {
      ok: true,
      origin: q.origin,
      nonce: NONCE,
      returnUrl: q.return,
      mode: 'authenticate',
      lang: 'en',
    });
  });
  it('refuses (no post-back) for a bad or foreign origin or return URL', () => {
    assert.deepEqual(checkBinding({ ...q, origin: 'https://evil.example' }, opts), {
      ok: false,
      kind: 'refused',
      reason: 'origin_not_allowed',
      lang: 'en',
    });
    assert.equal(
      (checkBinding({ ...q, origin: 'nope' }, opts) as { reason: string }).reason,
      'origin_format',
    );
    assert.equal(
      (checkBinding({ ...q, return: 'https://evil.example/r' }, opts) as { reason: string }).reason,
      'return_url',
    );
    assert.equal(
      (checkBinding({ ...q, origin: [q.origin, q.origin] }, opts) as { reason: string }).reason,
      'origin_format',
    );
  });
  it('posts back bad_request for a bad nonce or mode once origin and return are fine', () => {
    const r = checkBinding({ ...q, nonce: 'short' }, opts);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'bad_request');
    assert.equal(!r.ok && r.kind === 'bad_request' && r.nonce, 'short');
    const m = checkBinding({ ...q, mode: 'steal' }, opts);
    assert.equal(!m.ok && m.kind === 'bad_request' && m.reason, 'mode');
  });
  it('defaults: mode register, lang ja', () => {
    const r = checkBinding({ origin: q.origin, nonce: NONCE, return: q.return }, opts);
    assert.ok(r.ok && r.mode === 'register' && r.lang === 'ja');
  });
});

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadClientConfig({});
    assert.equal(c.port, 3001);
    assert.deepEqual(c.allowedOrigins, ['http://localhost:3000']);
    assert.ok(c.devOrigins);
    assert.ok(c.cardDir.endsWith('data/cards'));
  });
  it('names the variable and what it expects', () => {
    const bad = (env: Record<string, string>, variable: string) =>
      assert.throws(
        () => loadClientConfig(env),
        (e: unknown) => e instanceof ConfigError && e.variable === variable && /expected/.test(e.message),
      );
    bad({ CLIENT_PORT: 'x' }, 'CLIENT_PORT');
    bad({ CLIENT_PORT: '70000' }, 'CLIENT_PORT');
    bad({ CLIENT_ALLOWED_ORIGINS: 'https://a.example/path' }, 'CLIENT_ALLOWED_ORIGINS');
    bad({ CLIENT_DEV_ORIGINS: 'maybe' }, 'CLIENT_DEV_ORIGINS');
    bad({ CLIENT_READER: 'usb' }, 'CLIENT_READER');
    bad({ NODE_ENV: 'production' }, 'CLIENT_ALLOWED_ORIGINS'); // http://localhost needs dev origins
  });
});
