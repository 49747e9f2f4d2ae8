import assert from 'node:assert/strict';
import { createPrivateKey, verify, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHex, SW, toHex } from '../../card/apdu.ts';
import { loadCardFile, saveCardFile } from '../../card/emulator/card-file.ts';
import { VirtualCard } from '../../card/emulator/virtual-card.ts';
import { sha256DigestInfo } from '../../card/jpki.ts';
import { SELECT_JPKI, selectEf, send, testCard, verifyApdu } from './fixtures.ts';

async function selected(key = 'taro') {
  const card = new VirtualCard(await testCard(key));
  assert.equal((await send(card, SELECT_JPKI)).sw, SW.OK);
  return card;
}

describe('emulator: SELECT', () => {
  it('selects the JPKI AP and its EFs; unknown AID and EF answer 6A82', async () => {
    const card = new VirtualCard(await testCard());
    assert.equal((await send(card, '00A4040C0AD3921000310001010408')).sw, SW.FILE_NOT_FOUND);
    assert.equal((await send(card, '00A4040007A0000000030000')).sw, SW.FILE_NOT_FOUND); // probe with Le
    assert.equal((await send(card, SELECT_JPKI)).sw, SW.OK);
    assert.equal((await send(card, '00A4040C0AD392F00026010000000100')).sw, SW.OK); // trailing Le tolerated
    assert.equal((await send(card, selectEf('000A'))).sw, SW.OK);
    assert.equal((await send(card, selectEf('0011'))).sw, SW.FILE_NOT_FOUND);
  });

  it('answers 6986 to EF commands before the AP is selected', async () => {
    const card = new VirtualCard(await testCard());
    assert.equal((await send(card, selectEf('000A'))).sw, SW.NO_CURRENT_EF);
    assert.equal((await send(card, '00B0000004')).sw, SW.NO_CURRENT_EF);
    assert.equal((await send(card, '00200080')).sw, SW.NO_CURRENT_EF);
    assert.equal((await send(card, '802A00800101' + '00')).sw, SW.NO_CURRENT_EF);
  });

  it('checks lengths, class, instruction and P1-P2', async () => {
    const card = await selected();
    assert.equal((await send(card, '00A4')).sw, SW.WRONG_LENGTH);
    assert.equal((await send(card, '00A4020C03000A00')).sw, SW.WRONG_LENGTH); // EF id of 3 bytes
    assert.equal((await send(card, '00A4020C05000A')).sw, SW.WRONG_LENGTH); // Lc ≠ body
    assert.equal((await send(card, '00A4040C03D39200')).sw, SW.WRONG_LENGTH); // AID too short
    assert.equal((await send(card, '00A4020C')).sw, SW.WRONG_LENGTH); // no data
    assert.equal((await send(card, '00B0000002AABB')).sw, SW.WRONG_LENGTH); // READ BINARY with data
    assert.equal((await send(card, '10B0000004')).sw, SW.CLA_NOT_SUPPORTED);
    assert.equal((await send(card, 'A0A4000C023F00')).sw, SW.CLA_NOT_SUPPORTED);
    assert.equal((await send(card, '00CA010100')).sw, SW.INS_NOT_SUPPORTED); // GET DATA probe
    assert.equal((await send(card, '00CB3FFF00')).sw, SW.INS_NOT_SUPPORTED);
    assert.equal((await send(card, '80B0000004')).sw, SW.INS_NOT_SUPPORTED);
    assert.equal((await send(card, '002A9E9A0100')).sw, SW.INS_NOT_SUPPORTED); // PSO with CLA 00
    assert.equal((await send(card, '00A4080C020001')).sw, SW.WRONG_P1P2);
  });
});

describe('emulator: READ BINARY', () => {
  it('reads EF 0006 (token label) and EF 0008 (availability) without PIN', async () => {
    const card = await selected();
    await send(card, selectEf('0006'));
    const info = await send(card, '00B0000000');
    assert.equal(info.data.length, 160);
    assert.equal(
      Buffer.from(info.data.subarray(0, 32)).toString('latin1'),
      'JPKIAPICCTOKEN2'.padEnd(32, ' '),
    );
    await send(card, selectEf('0008'));
    assert.equal(toHex((await send(card, '00B0000000')).data), '8F8F00');
  });

  it('reads with offsets, stops at the end with 6B00, pads with FF filler', async () => {
    const data = await testCard();
    const der = Buffer.from(data.auth.certificate, 'base64');
    const card = await selected();
    await send(card, selectEf('000A'));
    const head = await send(card, '00B0000004');
    assert.deepEqual(Buffer.from(head.data), der.subarray(0, 4));
    const mid = await send(card, '00B0010010');
    assert.deepEqual(Buffer.from(mid.data), der.subarray(0x100, 0x110));
    const tail = await send(card, '00B007FF00'); // 1 byte before the end of a 2048-byte EF
    assert.equal(tail.sw, SW.OK);
    assert.deepEqual([...tail.data], [0xff]);
    assert.equal((await send(card, '00B0080000')).sw, SW.WRONG_OFFSET);
    assert.equal((await send(card, '00B07FFF01')).sw, SW.WRONG_OFFSET);
  });

  it('reads by SFI, which also selects the EF', async () => {
    const card = await selected();
    assert.equal(toHex((await send(card, '00B0880003')).data), '8F8F00');
    assert.equal(toHex((await send(card, '00B0000003')).data), '8F8F00'); // EF 0008 now current
    assert.equal((await send(card, '00B0900004')).sw, SW.FILE_NOT_FOUND); // SFI 0x10 absent
    assert.equal((await send(card, '00B0E80004')).sw, SW.WRONG_P1P2); // bits 7-6 set
  });

  it('refuses EF 0001 before the sign password, and PIN/key EFs always', async () => {
    const card = await selected();
    await send(card, selectEf('0001'));
    assert.equal((await send(card, '00B0000004')).sw, SW.SECURITY_NOT_SATISFIED);
    for (const fid of ['0017', '0018', '001A', '001B']) {
      await send(card, selectEf(fid));
      const r = await send(card, '00B0000000');
      assert.notEqual(r.sw, SW.OK, fid);
      assert.equal(r.data.length, 0);
    }
    await send(card, selectEf('001B'));
    assert.equal((await send(card, verifyApdu('TARO2022'))).sw, SW.OK);
    await send(card, selectEf('0001'));
    assert.equal((await send(card, '00B0000004')).sw, SW.OK);
  });
});

describe('emulator: VERIFY', () => {
  it('queries tries without spending one, decrements, resets on success', async () => {
    const card = await selected();
    await send(card, selectEf('001B'));
    assert.equal((await send(card, '00200080')).sw, 0x63c5);
    assert.equal((await send(card, '00200080')).sw, 0x63c5);
    assert.equal((await send(card, verifyApdu('WRONG123'))).sw, 0x63c4);
    assert.equal((await send(card, verifyApdu('taro2022'))).sw, 0x63c3); // case matters on the card
    assert.equal((await send(card, verifyApdu('X'))).sw, 0x63c2); // malformed counts as wrong
    assert.equal((await send(card, '00200080')).sw, 0x63c2);
    assert.equal((await send(card, verifyApdu('TARO2022'))).sw, SW.OK);
    assert.equal((await send(card, '00200080')).sw, 0x63c5);
    assert.equal((await send(card, '00200180')).sw, SW.WRONG_P1P2);
    await send(card, selectEf('000A'));
    assert.notEqual((await send(card, '00200080')).sw, SW.OK); // not a PIN EF
  });

  it('verifies by SFI (P2 = 80 + SFI)', async () => {
    const card = await selected();
    assert.equal((await send(card, '00200098')).sw, 0x63c3);
    assert.equal((await send(card, '0020009804' + '31323334')).sw, SW.OK);
  });

  it('locks the auth PIN after 3 and the sign password after 5 wrong tries; 6984 afterwards', async () => {
    const card = await selected();
    await send(card, selectEf('0018'));
    assert.equal((await send(card, verifyApdu('0000'))).sw, 0x63c2);
    assert.equal((await send(card, verifyApdu('0000'))).sw, 0x63c1);
    assert.equal((await send(card, verifyApdu('0000'))).sw, 0x63c0);
    assert.equal((await send(card, verifyApdu('1234'))).sw, SW.REFERENCE_BLOCKED);
    assert.equal((await send(card, '00200080')).sw, 0x63c0); // query still answers 63 C0
    await send(card, selectEf('001B'));
    for (let left = 4; left >= 0; left--)
      assert.equal((await send(card, verifyApdu('BAD999'))).sw, 0x63c0 | left);
    assert.equal((await send(card, verifyApdu('TARO2022'))).sw, SW.REFERENCE_BLOCKED);
  });

  it('keeps a lock across reloads of the card file (written atomically)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'card-lock-'));
    const path = join(dir, 'x.card.json');
    await saveCardFile(path, await testCard());
    const card = VirtualCard.fromFile(path, await loadCardFile(path));
    await send(card, SELECT_JPKI);
    await send(card, selectEf('0018'));
    for (let i = 0; i < 3; i++) await send(card, verifyApdu('9999'));
    const reloaded = VirtualCard.fromFile(path, await loadCardFile(path));
    await send(reloaded, SELECT_JPKI);
    await send(reloaded, selectEf('0018'));
    assert.equal((await send(reloaded, '00200080')).sw, 0x63c0);
    assert.equal((await send(reloaded, verifyApdu('1234'))).sw, SW.REFERENCE_BLOCKED);
    const json = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(json.auth.triesLeft, 0);
  });

  it('clears VERIFY status on every SELECT by AID and on reset, not on EF selects', async () => {
    const card = await selected();
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234'));
    await send(card, selectEf('0017'));
    const di = toHex(sha256DigestInfo(new Uint8Array(64)));
    assert.equal((await send(card, `802A008033${di}00`)).sw, SW.OK);
    await send(card, SELECT_JPKI); // re-select of the same AP
    await send(card, selectEf('0017'));
    assert.equal((await send(card, `802A008033${di}00`)).sw, SW.SECURITY_NOT_SATISFIED);
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234'));
    await send(card, '00A4040C0AD3921000310001010402'); // failed select of another AP
    await send(card, SELECT_JPKI);
    assert.equal((await send(card, `802A009733${di}00`)).sw, SW.SECURITY_NOT_SATISFIED);
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234'));
    card.reset();
    await send(card, SELECT_JPKI);
    assert.equal((await send(card, `802A009733${di}00`)).sw, SW.SECURITY_NOT_SATISFIED);
  });
});

describe('emulator: COMPUTE DIGITAL SIGNATURE', () => {
  it('signs a DigestInfo with PKCS#1 v1.5 only after the matching PIN', async () => {
    const data = await testCard();
    const card = await selected();
    const message = new TextEncoder().encode('hello');
    const di = toHex(sha256DigestInfo(message));
    await send(card, selectEf('001A'));
    assert.equal((await send(card, `802A008033${di}00`)).sw, SW.SECURITY_NOT_SATISFIED);
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234')); // the auth PIN does not unlock the sign key
    assert.equal((await send(card, `802A009A33${di}00`)).sw, SW.SECURITY_NOT_SATISFIED);
    await send(card, selectEf('001B'));
    await send(card, verifyApdu('TARO2022'));
    const r = await send(card, `802A009A33${di}00`);
    assert.equal(r.sw, SW.OK);
    assert.equal(r.data.length, 256);
    const cert = new X509Certificate(Buffer.from(data.sign!.certificate, 'base64'));
    assert.ok(verify('sha256', message, cert.publicKey, r.data));
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234'));
    const auth = await send(card, `802A009733${di}00`);
    const authCert = new X509Certificate(Buffer.from(data.auth.certificate, 'base64'));
    assert.ok(verify('sha256', message, authCert.publicKey, auth.data));
    assert.ok(!verify('sha256', message, authCert.publicKey, r.data));
  });

  it('checks P1, key reference and input length', async () => {
    const card = await selected();
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234'));
    assert.equal((await send(card, '802A01970100')).sw, SW.WRONG_P1P2);
    assert.equal((await send(card, '802A00A00100')).sw, SW.WRONG_P1P2);
    await send(card, selectEf('000A'));
    assert.equal((await send(card, '802A00800100')).sw, SW.NO_CURRENT_EF); // not a key EF
    assert.equal((await send(card, '802A0097')).sw, SW.WRONG_LENGTH); // no data
    assert.equal((await send(card, `802A0097F6${'00'.repeat(246)}00`)).sw, SW.WRONG_LENGTH);
    assert.equal((await send(card, `802A0097F5${'00'.repeat(245)}00`)).sw, SW.OK);
  });
});

describe('emulator: other commands and knobs', () => {
  it('GET CHALLENGE returns random bytes', async () => {
    const card = await selected();
    const r = await send(card, '0084000008');
    assert.equal(r.sw, SW.OK);
    assert.equal(r.data.length, 8);
    assert.equal((await send(card, '00840000')).sw, SW.WRONG_LENGTH);
  });

  it('answers 61xx and serves GET RESPONSE when asked to', async () => {
    const card = new VirtualCard(await testCard(), { responseStyle: 'get-response' });
    await send(card, SELECT_JPKI);
    await send(card, selectEf('0008'));
    assert.equal((await send(card, '00B0000000')).sw, 0x6103);
    assert.equal(toHex((await send(card, '00C0000003')).data), '8F8F00');
    assert.equal((await send(card, '00C0000003')).sw, SW.CONDITIONS_NOT_SATISFIED);
  });

  it('answers 6Cxx to a wrong Le when asked to', async () => {
    const card = new VirtualCard(await testCard(), { responseStyle: 'wrong-le' });
    await send(card, SELECT_JPKI);
    await send(card, selectEf('0008'));
    assert.equal((await send(card, '00B0000000')).sw, 0x6c03);
    assert.equal(toHex((await send(card, '00B0000003')).data), '8F8F00');
  });

  it('a card without sign certificate has EF 0008 = 00 8F 00 and no EF 0001', async () => {
    const card = new VirtualCard(await testCard('minor', { basic4: null }));
    await send(card, SELECT_JPKI);
    assert.equal(toHex((await send(card, '00B0880003')).data), '008F00');
    assert.equal((await send(card, selectEf('0001'))).sw, SW.FILE_NOT_FOUND);
    assert.equal((await send(card, selectEf('001B'))).sw, SW.FILE_NOT_FOUND);
  });

  it('a smartphone token wants the auth PIN before the auth certificate', async () => {
    const card = new VirtualCard({ ...(await testCard()), tokenLabel: 'JPKIAPGPSETOKEN' });
    await send(card, SELECT_JPKI);
    await send(card, selectEf('000A'));
    assert.equal((await send(card, '00B0000004')).sw, SW.SECURITY_NOT_SATISFIED);
    await send(card, selectEf('0018'));
    await send(card, verifyApdu('1234'));
    await send(card, selectEf('000A'));
    assert.equal((await send(card, '00B0000004')).sw, SW.OK);
  });
});

describe('emulator: properties', () => {
  it('random APDUs never crash it, always get SW1SW2, and never reveal private key bytes', async () => {
    const data = await testCard();
    const secrets: Buffer[] = [];
    for (const pem of [data.sign!.privateKey, data.auth.privateKey]) {
      const jwk = createPrivateKey(pem).export({ format: 'jwk' });
      for (const part of [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi])
        secrets.push(Buffer.from(part!, 'base64url'));
    }
    const windows = new Set<string>();
    for (const s of secrets)
      for (let i = 0; i + 8 <= s.length; i++) windows.add(s.subarray(i, i + 8).toString('hex'));
    const interesting = fc.oneof(
      fc.uint8Array({ maxLength: 270 }),
      fc
        .tuple(
          fc.constantFrom(0x00, 0x80, 0x0c),
          fc.constantFrom(0xa4, 0xb0, 0x20, 0x24, 0x2a, 0x84, 0xc0, 0xca),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 255 }),
          fc.uint8Array({ maxLength: 40 }),
        )
        .map(([cla, ins, p1, p2, body]) => Uint8Array.from([cla, ins, p1, p2, ...body])),
      fc.constantFrom(
        fromHex(SELECT_JPKI),
        fromHex(selectEf('001A')),
        fromHex(selectEf('0017')),
        fromHex(selectEf('0018')),
        fromHex(verifyApdu('1234')),
      ),
    );
    const card = new VirtualCard(data);
    await fc.assert(
      fc.asyncProperty(fc.array(interesting, { maxLength: 12 }), async (commands) => {
        for (const c of commands) {
          const r = await card.transmit(c);
          assert.ok(r.length >= 2);
          const hex = Buffer.from(r).toString('hex');
          for (let i = 0; i + 16 <= hex.length - 4; i += 2) assert.ok(!windows.has(hex.slice(i, i + 16)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
