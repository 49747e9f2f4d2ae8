import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeToken,
  encodeToken,
  signedMessage,
  TOKEN_FORMAT,
  type TokenErrorCode,
} from '../../card/token.ts';

const cert = (n: number) =>
  Uint8Array.from([0x30, 0x82, ...Array.from({ length: n - 2 }, (_, i) => i & 0xff)]);
const base = {
  signCertificate: cert(1200),
  signSignature: new Uint8Array(256).fill(1),
  authCertificate: cert(1100),
  authSignature: new Uint8Array(256).fill(2),
  appVersion: 'residence-online-client/1.0.0',
};

function reencode(patch: Record<string, unknown>): string {
  return JSON.stringify({ ...JSON.parse(encodeToken(base)), ...patch });
}

function errorOf(text: unknown): TokenErrorCode | 'ok' {
  const r = decodeToken(text);
  return r.ok ? 'ok' : r.error.code;
}

describe('card token', () => {
  it('signedMessage is SHA-256(origin) ‖ SHA-256(nonce)', () => {
    const m = signedMessage('https://a.jp', 'nonce');
    assert.equal(m.length, 64);
    assert.deepEqual(Buffer.from(m.subarray(0, 32)), createHash('sha256').update('https://a.jp').digest());
    assert.deepEqual(Buffer.from(m.subarray(32)), createHash('sha256').update('nonce').digest());
  });

  it('round-trips', () => {
    const r = decodeToken(encodeToken(base));
    assert.ok(r.ok);
    assert.equal(r.token.format, TOKEN_FORMAT);
    assert.equal(r.token.algorithm, 'RS256');
    assert.deepEqual(r.token.signCertificate, base.signCertificate);
    assert.deepEqual(r.token.authSignature, base.authSignature);
    assert.equal(r.token.appVersion, base.appVersion);
  });

  it('rejects each kind of problem with its own code', () => {
    assert.equal(errorOf(42), 'token_size');
    assert.equal(errorOf('x'.repeat(100)), 'token_size');
    assert.equal(errorOf('x'.repeat(16_385)), 'token_size');
    assert.equal(errorOf(`[${' '.repeat(600)}]`), 'token_json');
    assert.equal(errorOf(`{${' '.repeat(600)}`), 'token_json');
    assert.equal(errorOf(reencode({ format: 'jpki-reg:2.0' })), 'token_format');
    assert.equal(errorOf(reencode({ format: 'web-eid:1.0' })), 'token_format');
    assert.equal(errorOf(reencode({ format: 'jpki-reg:1.3' })), 'ok');
    assert.equal(errorOf(reencode({ algorithm: 'PS256' })), 'token_algorithm');
    assert.equal(errorOf(reencode({ authSignature: undefined })), 'token_field_missing');
    assert.equal(errorOf(reencode({ signSignature: 'not base64!' })), 'token_field_invalid');
    assert.equal(
      errorOf(reencode({ signSignature: Buffer.alloc(255).toString('base64') })),
      'token_field_invalid',
    );
    assert.equal(
      errorOf(reencode({ signCertificate: Buffer.alloc(600, 0x31).toString('base64') })),
      'token_field_invalid',
    );
    assert.equal(errorOf(reencode({ signCertificate: 5 })), 'token_field_invalid');
    assert.equal(errorOf(reencode({ appVersion: undefined })), 'token_field_missing');
    assert.equal(errorOf(reencode({ appVersion: 'a\nforged log line' })), 'token_field_invalid');
    assert.equal(errorOf(reencode({ extra: 'ignored for forward compatibility' })), 'ok');
  });

  it('encodes and decodes the authenticate mode (the auth half only) with the same checks', () => {
    const { signCertificate: _c, signSignature: _s, ...auth } = base;
    const text = encodeToken(auth);
    assert.deepEqual(Object.keys(JSON.parse(text)), [
      'format',
      'algorithm',
      'authCertificate',
      'authSignature',
      'appVersion',
    ]);
    const r = decodeToken(text, 'authenticate');
    assert.ok(r.ok);
    assert.deepEqual(r.token.authCertificate, base.authCertificate);
    assert.equal('signCertificate' in r.token, false);
    // A register token needs the sign half; an authenticate token has the same limits otherwise.
    assert.equal(decodeToken(text).ok, false);
    const authError = (patch: Record<string, unknown>) => {
      const d = decodeToken(JSON.stringify({ ...JSON.parse(text), ...patch }), 'authenticate');
      return d.ok ? 'ok' : d.error.code;
    };
    assert.equal(authError({ authSignature: Buffer.alloc(255).toString('base64') }), 'token_field_invalid');
    assert.equal(
      authError({ authCertificate: Buffer.alloc(600, 0x31).toString('base64') }),
      'token_field_invalid',
    );
    assert.equal(authError({ appVersion: 'a\nforged log line' }), 'token_field_invalid');
    assert.equal(authError({ algorithm: 'PS256' }), 'token_algorithm');
    // A full register token is also a valid authenticate token (its sign half is not read).
    assert.ok(decodeToken(encodeToken(base), 'authenticate').ok);
  });

  it('never throws on garbage, always a typed error', () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.base64String({ maxLength: 600 }));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 20_000 }),
          fc.string({ minLength: 512, maxLength: 2000 }),
          fc
            .record({
              format: field,
              algorithm: field,
              signCertificate: field,
              signSignature: field,
              appVersion: field,
            })
            .map((o) => JSON.stringify(o).padEnd(600, ' ')),
        ),
        (text) => {
          const r = decodeToken(text);
          if (!r.ok) assert.equal(typeof r.error.code, 'string');
        },
      ),
    );
  });
});
