// `npm run build`: the compiled portal starts with plain node (no loader hooks, no TypeScript)
// and serves its pages and assets. Builds into a directory inside the repository (packages
// still resolve from node_modules), removed afterwards.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('production build', { timeout: 600_000 }, () => {
  const tmpRoot = path.join(ROOT, '.tmp');
  let out = '';
  let dataDir = '';
  let portal: ChildProcess | undefined;
  let base = '';
  const output: string[] = [];

  before(async () => {
    execFileSync('mkdir', ['-p', tmpRoot]);
    out = mkdtempSync(path.join(tmpRoot, 'build-test-'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'ro-build-data-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', out], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Plain node: no --import tsx, and an environment without NODE_OPTIONS.
    portal = spawn(process.execPath, [path.join(out, 'portal', 'main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    portal.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
    portal.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    for (let i = 0; i < 600; i++) {
      if (portal.exitCode !== null) break;
      try {
        if ((await fetch(`${base}/healthz`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the built portal did not answer /healthz:\n${output.join('').slice(-2000)}`);
  });

  after(async () => {
    if (portal && portal.exitCode === null) {
      const exited = new Promise((r) => portal!.once('exit', r));
      portal.kill('SIGTERM');
      await exited;
    }
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds JavaScript only, with the files the code reads beside it', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
      );
    const all = files(out);
    assert.equal(all.filter((f) => /\.tsx?$/.test(f)).length, 0);
    for (const f of ['portal/main.js', 'portal/worker.js', 'portal/store/migrations/0001_foundation.sql']) {
      assert.ok(existsSync(path.join(out, f)), f);
    }
  });

  it('answers /healthz, /readyz and the top page with its stylesheet', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const top = await fetch(`${base}/`);
    assert.equal(top.status, 200);
    const html = await top.text();
    const css = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(html)?.[1];
    assert.ok(css, 'the page links its stylesheet');
    const sheet = await fetch(`${base}${css}`);
    assert.equal(sheet.status, 200);
    assert.match(await sheet.text(), /:root\{/);
  });
});
