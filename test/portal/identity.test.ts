// The card token verifier on its own: each refusal has its own code; CRLs reload on change.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { revokeCard } from '../../card/pki/revoke.ts';
import { CardCheckError } from '../../portal/identity/errors.ts';
import { TrustStore } from '../../portal/identity/trust.ts';
import { type TokenInput, verifyCardToken } from '../../portal/identity/verify-token.ts';
import { setupPki, signedToken, type TestPki } from './registration/helpers.ts';

const ORIGIN = 'https://residence.example.go.jp';
const NONCE = `${'A'.repeat(43)}=`;
const quiet = { warn: () => {} };

let pki: TestPki;
let other: TestPki;
before(async () => {
  [pki, other] = await Promise.all([
    setupPki({ good: 'taro', later: 'taro' }),
    setupPki({ stranger: 'taro' }),
  ]);
});
after(() => {
  pki.close();
  other.close();
});

const trustOf = (p: TestPki, recheckMs = 0, crlFailure: 'refuse' | 'allow' = 'refuse') =>
  TrustStore.load(
    {
      signRoots: [p.pki.paths.root('sign')],
      authRoots: [p.pki.paths.root('auth')],
      signCrls: [p.pki.paths.crl('sign')],
      authCrls: [p.pki.paths.crl('auth')],
      crlFailure,
      clockSkewSeconds: 60,
    },
    quiet,
    recheckMs,
  );

const input = (token: unknown, over: Partial<TokenInput> = {}): TokenInput => ({
  mode: 'register',
  token,
  nonce: NONCE,
  sessionOrigin: ORIGIN,
  publicOrigin: ORIGIN,
  now: new Date(),
  ...over,
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof CardCheckError) return e.code;
    throw e;
  }
}

test('a good token yields the auth certificate fingerprint and the prefill', async () => {
  const trust = await trustOf(pki);
  const v = await verifyCardToken(input(await signedToken(pki.cards.good!, ORIGIN, NONCE)), trust);
  assert.match(v.authCertFingerprint, /^[0-9a-f]{64}$/);
  assert.deepEqual(v.basic4, { userName: 'HOUMU TARO', sex: 'male', dateOfBirth: '1990-04-01' });
});

test('each refusal has its own code', async () => {
  const trust = await trustOf(pki);
  const token = await signedToken(pki.cards.good!, ORIGIN, NONCE);
  assert.equal(await code(verifyCardToken(input('{}'), trust)), 'token_invalid');
  assert.equal(
    await code(verifyCardToken(input(token, { sessionOrigin: 'https://other.example' }), trust)),
    'origin_mismatch',
  );
  assert.equal(
    await code(verifyCardToken(input(token, { nonce: `B${NONCE.slice(1)}` }), trust)),
    'signature_invalid',
  );
  assert.equal(
    await code(verifyCardToken(input(token, { now: new Date(Date.now() + 10 * 366 * 86_400_000) }), trust)),
    'certificate_untrusted',
    'the root itself has expired by then',
  );
  assert.equal(
    await code(verifyCardToken(input(token, { now: new Date(Date.now() - 86_400_000) }), trust)),
    'certificate_not_yet_valid',
  );
  const stranger = await signedToken(other.cards.stranger!, ORIGIN, NONCE);
  assert.equal(await code(verifyCardToken(input(stranger), trust)), 'certificate_untrusted');
  // Auth-only tokens (sign-in, User ID recovery).
  const full = JSON.parse(token) as Record<string, string>;
  const authOnly = JSON.stringify({ ...full, signCertificate: undefined, signSignature: undefined });
  assert.equal(await code(verifyCardToken(input(authOnly, { mode: 'authenticate' }), trust)), 'ok');
  assert.equal(await code(verifyCardToken(input(authOnly), trust)), 'token_invalid');
});

test('a CRL file that changes is re-read; a missing CRL refuses or allows by policy', async () => {
  const trust = await trustOf(pki);
  const token = await signedToken(pki.cards.later!, ORIGIN, NONCE);
  assert.equal(await code(verifyCardToken(input(token), trust)), 'ok');
  await revokeCard(pki.pki, pki.cards.later!);
  assert.equal(await code(verifyCardToken(input(token), trust)), 'auth_certificate_revoked');

  const config = (crlFailure: 'refuse' | 'allow') =>
    TrustStore.load(
      {
        signRoots: [pki.pki.paths.root('sign')],
        authRoots: [pki.pki.paths.root('auth')],
        signCrls: [],
        authCrls: [],
        crlFailure,
        clockSkewSeconds: 0,
      },
      quiet,
    );
  const good = await signedToken(pki.cards.good!, ORIGIN, NONCE);
  assert.equal(await code(verifyCardToken(input(good), await config('refuse'))), 'revocation_unavailable');
  assert.equal(await code(verifyCardToken(input(good), await config('allow'))), 'ok');
});

test('anchors and CRLs are read once and cached, not re-read for every token', async () => {
  // What the benchmark's CPU figure depends on, asserted as behaviour rather than time:
  // within the re-check interval a verification touches no file, so a CRL moved away
  // after the first verification does not change the next answers.
  const trust = await trustOf(pki, 60_000);
  const token = await signedToken(pki.cards.good!, ORIGIN, NONCE);
  assert.equal(await code(verifyCardToken(input(token), trust)), 'ok');
  const crl = pki.pki.paths.crl('auth');
  renameSync(crl, `${crl}.away`);
  try {
    for (let i = 0; i < 3; i++) assert.equal(await code(verifyCardToken(input(token), trust)), 'ok');
  } finally {
    renameSync(`${crl}.away`, crl);
  }
});
