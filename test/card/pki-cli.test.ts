import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseBasic4, prefillFromBasic4 } from '../../card/basic4.ts';
import { loadCardFile } from '../../card/emulator/card-file.ts';
import { DEMO_CARDS, ensureDemoCards } from '../../card/pki/demo.ts';
import { pkiPaths, revokedSerials } from '../../card/pki/dev-pki.ts';
import { x509 } from '../../card/pki/x509.ts';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['card/cli.ts', ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'card-cli-'));
});

describe('card CLI and demo PKI', () => {
  it('demo creates roots, CRLs and every demo card; a second run creates nothing', async () => {
    const r = await cli('demo', '--data-dir', dataDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /RSA-2048/); // progress is shown
    for (const d of DEMO_CARDS) assert.match(r.stdout, new RegExp(d.id));
    assert.deepEqual(await ensureDemoCards(dataDir), []);
  });

  it('demo roots look like §8.1 with O=JPKI-DEMO, and cards chain to them', async () => {
    const paths = pkiPaths(dataDir);
    for (const kind of ['sign', 'auth'] as const) {
      const root = new X509Certificate(await readFile(paths.root(kind)));
      assert.match(root.subject, /O=JPKI-DEMO/);
      assert.ok(root.ca);
      assert.ok(root.verify(root.publicKey));
      const crl = new x509.X509Crl(await readFile(paths.crl(kind)));
      assert.ok(await crl.verify({ publicKey: new x509.X509Certificate(root.raw) }));
      assert.ok(crl.nextUpdate && crl.nextUpdate > new Date());
    }
    const card = await loadCardFile(join(dataDir, 'cards', 'default.card.json'));
    const signCert = new X509Certificate(Buffer.from(card.sign!.certificate, 'base64'));
    assert.ok(signCert.verify(new X509Certificate(await readFile(paths.root('sign'))).publicKey));
    const prefill = prefillFromBasic4(parseBasic4(signCert.raw));
    assert.deepEqual(prefill, { userName: 'HOUMU TARO', sex: 'male', dateOfBirth: '1990-04-01' });
    const kanji = await loadCardFile(join(dataDir, 'cards', 'kanji.card.json'));
    const kanjiPrefill = prefillFromBasic4(parseBasic4(Buffer.from(kanji.sign!.certificate, 'base64')));
    assert.equal(kanjiPrefill.userName, undefined);
    assert.equal(kanjiPrefill.sex, 'female');
  });

  it('demo card states: revoked in both CRLs, expired, tries, no sign certificate', async () => {
    const cards = join(dataDir, 'cards');
    const revoked = await revokedSerials(dataDir);
    const serial = (b64: string) =>
      new X509Certificate(Buffer.from(b64, 'base64')).serialNumber.toLowerCase().replace(/^0+/, '');
    const rc = await loadCardFile(join(cards, 'revoked.card.json'));
    assert.ok(revoked.sign.has(serial(rc.sign!.certificate)));
    assert.ok(revoked.auth.has(serial(rc.auth.certificate)));
    const exp = await loadCardFile(join(cards, 'expired.card.json'));
    assert.ok(
      new Date(new X509Certificate(Buffer.from(exp.auth.certificate, 'base64')).validTo) < new Date(),
    );
    assert.equal((await loadCardFile(join(cards, 'auth-one-try.card.json'))).auth.triesLeft, 1);
    assert.equal((await loadCardFile(join(cards, 'sign-blocked.card.json'))).sign!.triesLeft, 0);
    assert.equal((await loadCardFile(join(cards, 'no-sign-cert.card.json'))).sign, null);
  });

  it('issue, revoke and list', async () => {
    const issue = await cli(
      'issue',
      '--name',
      'SMITH JOHN',
      '--sex',
      'male',
      '--birth',
      '1980-02-03',
      '--address',
      '東京都',
      '--sign-password',
      'abc123',
      '--auth-pin',
      '4321',
      '--valid-days',
      '30',
      '--id',
      'john',
      '--data-dir',
      dataDir,
    );
    assert.equal(issue.code, 2, 'lower-case sign password is refused at issue time');
    assert.match(issue.stderr, /sign password/);
    const ok = await cli(
      'issue',
      '--name=SMITH JOHN',
      '--sex=male',
      '--birth=1980-02-03',
      '--address=東京都',
      '--sign-password=ABC123',
      '--auth-pin=4321',
      '--valid-days=30',
      '--id=john',
      `--data-dir=${dataDir}`,
    );
    assert.equal(ok.code, 0, ok.stderr);
    const before = await cli('list', '--data-dir', dataDir);
    assert.match(before.stdout, /^john .*sign: 5\/5 tries .*auth: 3\/3 tries/m);
    assert.doesNotMatch(before.stdout.split('\n').find((l) => l.startsWith('john')) ?? '', /REVOKED/);
    assert.match(before.stdout, /^sign-blocked .*BLOCKED/m);
    assert.match(before.stdout, /^expired .*EXPIRED/m);
    const rev = await cli('revoke', 'john', '--data-dir', dataDir);
    assert.equal(rev.code, 0, rev.stderr);
    const after = await cli('list', '--data-dir', dataDir);
    assert.match(after.stdout, /^john .*REVOKED/m);
    assert.match(after.stdout, /^revoked .*REVOKED/m); // earlier entries kept when re-signing
  });

  it('answers bad arguments with one clear line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command/],
      [['issue', '--data-dir', dataDir], /--name is required/],
      [['issue', '--name', 'A B', '--sex', 'x', '--data-dir', dataDir], /--sex/],
      [['issue', '--name=A', '--sex=male', '--birth=1990-13-01', '--data-dir', dataDir], /--birth/],
      [['revoke', '--data-dir', dataDir], /which card/],
      [['revoke', 'nope', '--data-dir', dataDir], /cannot read/],
      [['issue', '--bogus'], /Unknown option/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});

describe('card CLI vpcd on a fresh data directory', () => {
  it('creates the development PKI and demo cards when missing, then serves the card (no ENOENT)', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'card-cli-vpcd-'));
    const child = spawn(TSX, ['card/cli.ts', 'vpcd', '--data-dir', fresh, '--port', '1'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "serving card" line: ${stderr}`)), 120_000);
        child.stderr.on('data', (c) => {
          stderr += c;
          if (/serving card "default"/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`exited ${code}: ${stderr}`));
        });
      });
    } finally {
      child.kill('SIGTERM');
    }
    assert.doesNotMatch(stderr, /ENOENT/);
    assert.match(stderr, /demo cards issued: .*default/);
    await loadCardFile(join(fresh, 'cards', 'default.card.json'));
    // A card that is not a demo card still gets one clear line.
    const r = await cli('vpcd', 'nosuchcard', '--data-dir', fresh, '--port', '1');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no card "nosuchcard"/);
    await rm(fresh, { recursive: true, force: true });
  });
});
