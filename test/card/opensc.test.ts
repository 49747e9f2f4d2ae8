// OpenSC's jpki driver against the emulator, through pcscd + vsmartcard-vpcd (spec §14).
// Needs: apt-get install -y pcscd vsmartcard-vpcd opensc, and root to start pcscd.
// Skips with the reason when any of that is missing; never passes without running.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { VirtualCard } from '../../card/emulator/virtual-card.ts';
import { PCSCD_SOCKET } from '../../card/pcsc.ts';
import { runVpcdClient, VPCD_DEFAULT_PORT } from '../../card/vpcd.ts';
import { testCard } from './fixtures.ts';

const run = promisify(execFile);
const PCSCD = '/usr/sbin/pcscd';
const PKCS15_TOOL = '/usr/bin/pkcs15-tool';
const VPCD_CONF = '/etc/reader.conf.d/vpcd';

function skipReason(): string | undefined {
  if (!existsSync(PCSCD)) return `${PCSCD} not installed (apt-get install -y pcscd vsmartcard-vpcd opensc)`;
  if (!existsSync(VPCD_CONF)) return `${VPCD_CONF} missing (apt-get install -y vsmartcard-vpcd)`;
  if (!existsSync(PKCS15_TOOL)) return `${PKCS15_TOOL} not installed (apt-get install -y opensc)`;
  if (!existsSync(PCSCD_SOCKET) && process.getuid?.() !== 0)
    return 'pcscd is not running and starting it needs root';
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('OpenSC jpki driver via pcscd + vpcd', () => {
  const reason = skipReason();
  it('pkcs15-tool lists the certificates of the virtual card', {
    skip: reason ?? false,
    timeout: 60_000,
  }, async (t) => {
    let pcscd: ChildProcess | undefined;
    if (!existsSync(PCSCD_SOCKET)) {
      pcscd = spawn(PCSCD, ['--foreground'], { stdio: 'ignore' });
      t.after(() => pcscd?.kill('SIGTERM'));
    }
    for (let i = 0; i < 50 && !(await portOpen(VPCD_DEFAULT_PORT)); i++) await sleep(100);
    assert.ok(await portOpen(VPCD_DEFAULT_PORT), 'vpcd is not listening on 35963');
    const card = new VirtualCard(await testCard());
    const client = runVpcdClient(card);
    t.after(() => client.close());
    await sleep(1500); // pcscd polls the ATR before it reports the card
    const { stdout } = await run(PKCS15_TOOL, ['--list-certificates'], { timeout: 30_000 });
    assert.match(stdout, /X\.509 Certificate/);
    assert.match(stdout, /User Authentication/i);
  });
});
