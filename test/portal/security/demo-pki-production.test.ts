// Production refuses trust anchors whose private keys lie beside them (issue 11, defect 7): the
// development PKI keeps its root keys next to the roots, and whoever reads them can issue a card
// the portal accepts. ALLOW_DEMO_TRUST_ANCHORS=true lets a demonstration system start anyway.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureDevPki, type PkiPaths } from '../../../card/pki/dev-pki.ts';
import { ConfigError } from '../../../config/env.ts';
import { loadPortalConfig } from '../../../portal/portal-config.ts';
import { freePort } from '../../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let paths: PkiPaths;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ro-demo-anchors-'));
  paths = (await ensureDevPki(path.join(dir, 'data'))).paths;
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Everything else production needs, so only the anchors decide. */
const production = (anchors: { sign: string; auth: string }, extra: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  DATA_DIR: path.join(dir, 'data'),
  SESSION_SECRET: 's'.repeat(40),
  MAIL_SECRET_KEY: 'm'.repeat(40),
  SMTP_URL: 'smtp://127.0.0.1:2525',
  // Production also requires TRUST_PROXY (issue 11, defect 3); unknown variables are ignored.
  TRUST_PROXY: 'none',
  TRUST_SIGN_ROOTS: anchors.sign,
  TRUST_AUTH_ROOTS: anchors.auth,
  ...extra,
});

const devAnchors = () => ({ sign: paths.root('sign'), auth: paths.root('auth') });

/** The anchors copied into a directory of their own, with `beside` written next to them. */
function anchorsIn(name: string, beside: Record<string, string> = {}) {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  const out = { sign: path.join(d, 'sign-root.pem'), auth: path.join(d, 'auth-root.pem') };
  copyFileSync(paths.root('sign'), out.sign);
  copyFileSync(paths.root('auth'), out.auth);
  for (const [file, content] of Object.entries(beside)) writeFileSync(path.join(d, file), content);
  return out;
}

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadPortalConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  assert.fail('the configuration was accepted');
}

test('production refuses the development PKI: its root keys lie beside the roots', () => {
  const err = refusal(production(devAnchors()));
  assert.equal(err.variable, 'TRUST_SIGN_ROOTS');
  assert.match(
    err.message,
    /^TRUST_SIGN_ROOTS: expected trust anchors without their private key beside them/,
  );
  assert.ok(err.message.includes(paths.rootKey('sign')), err.message);
  assert.ok(err.message.includes('ALLOW_DEMO_TRUST_ANCHORS=true'), err.message);
  assert.doesNotMatch(err.message, /\n/, 'one line');
  // The auth hierarchy is checked as well.
  const authOnly = refusal(production({ ...devAnchors(), sign: anchorsIn('sign-clean').sign }));
  assert.equal(authOnly.variable, 'TRUST_AUTH_ROOTS');
});

test('the key is recognised by what it is, not by its file name', () => {
  const key = readFileSync(paths.rootKey('auth'), 'utf8');
  const cert = readFileSync(paths.root('auth'), 'utf8');
  const renamed = anchorsIn('renamed', { 'backup.txt': key });
  assert.equal(refusal(production(renamed)).variable, 'TRUST_AUTH_ROOTS');
  const together = anchorsIn('together');
  writeFileSync(together.auth, `${cert}\n${key}`);
  assert.equal(refusal(production(together)).variable, 'TRUST_AUTH_ROOTS');
});

test('production accepts the same anchors when ALLOW_DEMO_TRUST_ANCHORS=true', () => {
  const c = loadPortalConfig(production(devAnchors(), { ALLOW_DEMO_TRUST_ANCHORS: 'true' }));
  assert.equal(c.trust.allowDemoAnchors, true);
  assert.deepEqual(c.trust.authRoots, [paths.root('auth')]);
});

test('production accepts anchors without their keys (another key beside them does not count)', () => {
  const c = loadPortalConfig(production(anchorsIn('clean')));
  assert.equal(c.trust.allowDemoAnchors, false);
  const tlsKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  assert.doesNotThrow(() =>
    loadPortalConfig(production(anchorsIn('with-tls-key', { 'tls.key': String(tlsKey) }))),
  );
  // The sign root's key beside the auth root only: not the auth root's key.
  const d = path.join(dir, 'auth-beside-sign-key');
  mkdirSync(d);
  copyFileSync(paths.root('auth'), path.join(d, 'auth-root.pem'));
  copyFileSync(paths.rootKey('sign'), path.join(d, 'sign-root.key.pem'));
  assert.doesNotThrow(() =>
    loadPortalConfig(production({ sign: anchorsIn('clean').sign, auth: path.join(d, 'auth-root.pem') })),
  );
});

test('outside production the development PKI is what the portal uses', () => {
  const c = loadPortalConfig({ DATA_DIR: path.join(dir, 'data') });
  assert.deepEqual(c.trust.signRoots, [paths.root('sign')]);
});

test('the portal process refuses to start, with one line naming the variable', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'portal/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...production(devAnchors()), PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    child.kill(); // it got past the configuration (the defect): no need to wait for more
  });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  // Only a guard: a portal that did start (the defect) would otherwise keep the test waiting.
  const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(guard);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(
    lines[0]!,
    /^configuration error: TRUST_SIGN_ROOTS: expected trust anchors without their private key/,
  );
});
