// `npm run build:client`: the downloadable user client software. One CommonJS file that runs
// with Node alone, away from the checkout (its stylesheet and script inlined), and the Linux x64
// single executable application; each with the SHA-256 in SHA256SUMS and manifest.json. The
// PC/SC binding is used when it sits beside the program, the virtual reader otherwise.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type BuildResult, buildClient, CLIENT_JS, CLIENT_SEA } from '../../scripts/build-client.ts';
import { freePort } from '../helpers/server.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
/** Only what a user's shell would have: no NODE_OPTIONS (tsx), no CARD_DIR of the test runner. */
const bareEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', ...extra });

describe('npm run build:client', () => {
  let out: string;
  let elsewhere: string;
  let result: BuildResult;
  before(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'ro-build-'));
    elsewhere = await mkdtemp(path.join(tmpdir(), 'ro-elsewhere-'));
    result = await buildClient({ outDir: out });
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('writes each file with its SHA-256 in SHA256SUMS and manifest.json', async () => {
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as {
      files: { file: string; sha256: string; bytes: number }[];
    };
    assert.deepEqual(manifest.files, result.files);
    assert.ok(result.files.some((f) => f.file === CLIENT_JS));
    const sums = await readFile(path.join(out, 'SHA256SUMS'), 'utf8');
    for (const f of result.files) {
      const body = await readFile(path.join(out, f.file));
      assert.equal(f.sha256, createHash('sha256').update(body).digest('hex'), f.file);
      assert.equal(f.bytes, body.length);
      assert.ok(sums.includes(`${f.sha256}  ${f.file}\n`), `SHA256SUMS lists ${f.file}`);
    }
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out });
    assert.match(check.stdout, new RegExp(`${CLIENT_JS}: OK`));
  });

  it('the JavaScript file runs with Node alone, away from the checkout, on the virtual reader', async () => {
    const file = path.join(out, CLIENT_JS);
    const version = await run(process.execPath, [file, '--version'], { cwd: elsewhere, env: bareEnv() });
    assert.equal(version.stdout.trim(), 'residence-online-client/0.1.0');
    const status = await run(process.execPath, [file, 'status'], { cwd: elsewhere, env: bareEnv() });
    assert.match(status.stdout, /^reader: .*\(virtual; cards in /m);
    // The local server serves its pages and the inlined stylesheet.
    const port = await freePort();
    const child = spawn(process.execPath, [file], {
      cwd: elsewhere,
      env: bareEnv({ CLIENT_PORT: String(port), LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`did not start: ${text}`)), 15_000);
        child.stdout.on('data', (c) => {
          text += c;
          if (text.includes(`client: http://127.0.0.1:${port}`)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      const css = /href="(\/assets\/client\.[0-9a-f]+\.css)"/.exec(page)?.[1];
      assert.ok(css, 'the status page links its stylesheet');
      const res = await fetch(`http://127.0.0.1:${port}${css}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /--color-/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('uses the PC/SC binding when it is installed beside the program', async () => {
    const beside = path.join(elsewhere, 'with-binding');
    await mkdir(beside);
    await symlink(path.join(root, 'node_modules'), path.join(beside, 'node_modules'));
    await run('cp', [path.join(out, CLIENT_JS), beside]);
    const status = await run(process.execPath, [path.join(beside, CLIENT_JS), 'status'], {
      cwd: elsewhere,
      env: bareEnv({ PCSCLITE_CSOCK_NAME: path.join(elsewhere, 'no-pcscd.comm') }),
    });
    // No pcscd here: the reader is PC/SC, and it says why it is not available.
    assert.match(status.stdout, /^reader: .*\(PC\/SC\) — not available: PC\/SC not available/m);
  });

  it('the Linux x64 executable runs without Node installed beside it', async (t) => {
    if (result.seaSkipped) return t.skip(result.seaSkipped);
    const exe = path.join(out, CLIENT_SEA);
    const version = await run(exe, ['--version'], { cwd: elsewhere, env: bareEnv({ PATH: '/nonexistent' }) });
    assert.equal(version.stdout.trim(), 'residence-online-client/0.1.0');
    const status = await run(exe, ['status'], { cwd: elsewhere, env: bareEnv({ PATH: '/nonexistent' }) });
    assert.match(status.stdout, /^reader: .*\(virtual; cards in /m);
  });
});
