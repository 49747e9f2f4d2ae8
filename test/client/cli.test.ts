// The command-line mode: passwords from stdin lines, the token on stdout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  AUTH_PIN,
  cleanupTemplate,
  demoCardsTemplate,
  freshCardDir,
  newNonce,
  SIGN_PASSWORD,
  triesOnFile,
  verifyToken,
} from './helpers.ts';

const ORIGIN = 'https://portal.example.go.jp';

function run(
  args: string[],
  stdin: string,
  cardDir: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'client/main.ts', ...args], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, CARD_DIR: cardDir, NODE_ENV: 'development' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

before(() => demoCardsTemplate().then(() => undefined));
after(() => cleanupTemplate());

describe('client command line', () => {
  it('sign (register): passwords on stdin, token on stdout that verifies', async () => {
    const dir = await freshCardDir('default');
    const nonce = newNonce();
    const r = await run(
      ['sign', '--origin', ORIGIN, '--nonce', nonce],
      `${SIGN_PASSWORD.toLowerCase()}\n${AUTH_PIN}\n`,
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const v = verifyToken(r.stdout.trim(), ORIGIN, nonce);
    assert.equal(v.signOk, true);
    assert.equal(v.authOk, true);
    assert.ok(!r.stdout.includes(SIGN_PASSWORD) && !r.stderr.includes(SIGN_PASSWORD));
  });

  it('sign --mode authenticate: one PIN, auth half only', async () => {
    const dir = await freshCardDir('default');
    const nonce = newNonce();
    const r = await run(
      ['sign', '--origin', ORIGIN, '--nonce', nonce, '--mode', 'authenticate'],
      `${AUTH_PIN}\n`,
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const v = verifyToken(r.stdout.trim(), ORIGIN, nonce);
    assert.equal(v.authOk, true);
    assert.equal(v.signOk, null);
  });

  it('a wrong password exits 2 with the tries left; a malformed one uses no try', async () => {
    const dir = await freshCardDir('default');
    const wrong = await run(['sign', '--origin', ORIGIN, '--nonce', newNonce()], 'WRONG123\n', dir);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /wrong_password — 4 tries left/);
    const bad = await run(['sign', '--origin', ORIGIN, '--nonce', newNonce()], 'abc\n', dir);
    assert.equal(bad.code, 2);
    assert.equal((await triesOnFile(dir)).sign, 4);
  });

  it('never takes a password from the arguments; refuses a bad origin', async () => {
    const dir = await freshCardDir('default');
    const r = await run(
      ['sign', '--origin', ORIGIN, '--nonce', newNonce(), '--password', 'TARO2022'],
      '',
      dir,
    );
    assert.equal(r.code, 64);
    assert.match(r.stderr, /never taken from arguments/);
    const o = await run(['sign', '--origin', 'https://x.example/path', '--nonce', newNonce()], '', dir);
    assert.equal(o.code, 64);
  });

  it('status prints the reader and the card state', async () => {
    const dir = await freshCardDir('auth-one-try');
    const r = await run(['status'], '', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /reader: Residence Online Virtual Reader/);
    assert.match(r.stdout, /card: auth-one-try/);
    assert.match(r.stdout, /user ID PIN tries left: 1/);
    const none = await run(['status'], '', await freshCardDir(null));
    assert.match(none.stdout, /card: none/);
  });
});
