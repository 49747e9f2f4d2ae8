import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fromHex, parseResponse, SW, toHex } from '../../card/apdu.ts';
import { saveCardFile } from '../../card/emulator/card-file.ts';
import { VirtualCard } from '../../card/emulator/virtual-card.ts';
import { CardError, JpkiCard } from '../../card/jpki.ts';
import { openPcsc, pcscAvailability } from '../../card/pcsc.ts';
import { VirtualReader } from '../../card/reader.ts';
import { runVpcdClient } from '../../card/vpcd.ts';
import { SELECT_JPKI, testCard } from './fixtures.ts';

describe('VirtualReader', () => {
  it('lists cards, inserts/removes one (persisted), connects to the inserted card', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'card-reader-'));
    await saveCardFile(join(dir, 'taro.card.json'), await testCard());
    const reader = new VirtualReader(dir);
    assert.deepEqual(
      (await reader.listCards()).map((c) => c.id),
      ['taro'],
    );
    await assert.rejects(reader.connect(), (e: unknown) => e instanceof CardError && e.code === 'no_card');
    await assert.rejects(reader.insert('nope'), (e: unknown) => (e as CardError).code === 'no_card');
    await reader.insert('taro');
    assert.equal(await new VirtualReader(dir).insertedCardId(), 'taro');
    const conn = await reader.connect();
    const card = new JpkiCard(conn);
    await card.open();
    assert.deepEqual(await card.verifyAuthPin('0000'), { result: 'wrong', triesLeft: 2 });
    await conn.disconnect();
    // A new connection sees the spent try (written to the card file).
    const again = new JpkiCard(await reader.connect());
    await again.open();
    assert.deepEqual(await again.authPinStatus(), { triesLeft: 2 });
    assert.equal((await reader.listCards())[0]!.authTriesLeft, 2);
    await reader.remove();
    await assert.rejects(reader.connect(), (e: unknown) => (e as CardError).code === 'no_card');
  });
});

describe('PC/SC', () => {
  it('reports why PC/SC is unavailable without loading the binding', async () => {
    const r = await pcscAvailability('/nonexistent/pcscd.comm');
    assert.equal(r.available, false);
    assert.match(!r.available ? r.reason : '', /^PC\/SC not available: pcscd is not running/);
    const o = await openPcsc('/nonexistent/pcscd.comm');
    assert.equal(o.ok, false);
  });

  it('refuses a socket that does not answer like pcscd (the binding would block on it)', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'pcscd-'));
    const path = join(dir, 'pcscd.comm');
    const server = createServer();
    await new Promise<void>((ok) => server.listen(path, ok));
    t.after(() => server.close());
    const o = await openPcsc(path);
    assert.equal(o.ok, false);
    assert.match(!o.ok ? o.reason : '', /^PC\/SC not available: nothing answers like pcscd at /);
  });
});

/** A minimal vpcd: length-prefixed frames over TCP, the emulator is the client. */
function fakeVpcd(): Promise<{ server: Server; port: number; next: () => Promise<Socket> }> {
  return new Promise((resolve) => {
    const waiting: ((s: Socket) => void)[] = [];
    const server = createServer((s) => waiting.shift()?.(s));
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, port, next: () => new Promise((ok) => waiting.push(ok)) });
    });
  });
}

function exchangeFrame(s: Socket, payload: Uint8Array, expectReply = true): Promise<Uint8Array | null> {
  const out = Buffer.alloc(payload.length + 2);
  out.writeUInt16BE(payload.length);
  out.set(payload, 2);
  s.write(out);
  if (!expectReply) return Promise.resolve(null);
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.off('data', onData);
        resolve(new Uint8Array(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      }
    };
    s.on('data', onData);
  });
}

describe('vpcd client', () => {
  it('answers ATR requests and APDUs; power codes reset the card', async (t) => {
    const vpcd = await fakeVpcd();
    const card = new VirtualCard(await testCard());
    const connected = vpcd.next();
    const client = runVpcdClient(card, { port: vpcd.port, reconnectMs: 50 });
    t.after(() => {
      client.close();
      vpcd.server.close();
    });
    const s = await connected;
    assert.equal(toHex((await exchangeFrame(s, Uint8Array.of(0x04)))!), '3BE000FF8131FE4514');
    await exchangeFrame(s, Uint8Array.of(0x01), false);
    assert.equal(parseResponse((await exchangeFrame(s, fromHex(SELECT_JPKI)))!).sw, SW.OK);
    assert.equal(parseResponse((await exchangeFrame(s, fromHex('00A4020C020018')))!).sw, SW.OK);
    assert.equal(parseResponse((await exchangeFrame(s, fromHex('002000800431323334')))!).sw, SW.OK);
    assert.equal(parseResponse((await exchangeFrame(s, fromHex('00A4020C020017')))!).sw, SW.OK);
    await exchangeFrame(s, Uint8Array.of(0x02), false); // reset: VERIFY status gone, AP deselected
    assert.equal(parseResponse((await exchangeFrame(s, fromHex('802A00970101')))!).sw, SW.NO_CURRENT_EF);
    // vpcd restarting: the client reconnects.
    const reconnected = vpcd.next();
    s.destroy();
    const s2 = await reconnected;
    assert.equal(toHex((await exchangeFrame(s2, Uint8Array.of(0x04)))!), '3BE000FF8131FE4514');
  });
});
