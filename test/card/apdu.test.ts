import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ApduFormatError,
  decodeCommand,
  encodeCommand,
  encodeResponse,
  fromHex,
  parseResponse,
  SW,
  swName,
  type Transport,
  toHex,
  triesFromSw,
} from '../../card/apdu.ts';
import { traceCommand, withForbiddenAidGuard, withGetResponse, withTrace } from '../../card/transport.ts';

const commandArb = fc.record(
  {
    cla: fc.integer({ min: 0, max: 255 }),
    ins: fc.integer({ min: 0, max: 255 }),
    p1: fc.integer({ min: 0, max: 255 }),
    p2: fc.integer({ min: 0, max: 255 }),
    data: fc.uint8Array({ minLength: 1, maxLength: 255 }),
    le: fc.integer({ min: 1, max: 256 }),
  },
  { requiredKeys: ['cla', 'ins', 'p1', 'p2'] },
);

describe('APDU codec', () => {
  it('encodes the four cases', () => {
    assert.equal(toHex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 })), '00200080');
    assert.equal(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 })), '00B0000000');
    assert.equal(
      toHex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('000A') })),
      '00A4020C02000A',
    );
    assert.equal(
      toHex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: fromHex('0102'), le: 256 })),
      '802A0080020102' + '00',
    );
  });

  it('round-trips any short command', () => {
    fc.assert(
      fc.property(commandArb, (c) => {
        const back = decodeCommand(encodeCommand(c));
        assert.deepEqual(back, { ...c, ...(c.data ? { data: Uint8Array.from(c.data) } : {}) });
      }),
    );
  });

  it('rejects bad fields and inconsistent Lc', () => {
    assert.throws(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 }), ApduFormatError);
    assert.throws(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 }), ApduFormatError);
    assert.throws(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) }));
    assert.throws(() => decodeCommand(fromHex('00A4')), ApduFormatError);
    assert.throws(() => decodeCommand(fromHex('00A4020C05000A')), ApduFormatError);
    assert.throws(() => decodeCommand(fromHex('00A4020C00000A')), ApduFormatError);
  });

  it('never throws anything but ApduFormatError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeCommand(bytes);
        } catch (e) {
          assert.ok(e instanceof ApduFormatError);
        }
      }),
    );
  });

  it('parses responses and names status words', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
        assert.deepEqual(parseResponse(encodeResponse(data, sw)), { data: Uint8Array.from(data), sw });
      }),
    );
    assert.throws(() => parseResponse(new Uint8Array(1)), ApduFormatError);
    assert.equal(swName(SW.OK), 'success');
    assert.equal(swName(0x63c2), 'verification failed, 2 tries left');
    assert.equal(triesFromSw(0x63c0), 0);
    assert.equal(triesFromSw(0x6984), undefined);
  });
});

describe('transport wrappers', () => {
  it('masks VERIFY and CHANGE REFERENCE DATA data in traces', () => {
    const verify = encodeCommand({
      cla: 0,
      ins: 0x20,
      p1: 0,
      p2: 0x80,
      data: new TextEncoder().encode('TARO2022'),
    });
    const line = traceCommand(verify);
    assert.ok(!line.includes('54 41 52 4F'), line);
    assert.match(line, /masked/);
    const change = encodeCommand({ cla: 0, ins: 0x24, p1: 1, p2: 0x80, data: fromHex('31323334') });
    assert.ok(!traceCommand(change).includes('31 32 33 34'));
    assert.equal(traceCommand(fromHex('00200080')), '00 20 00 80');
    const lines: string[] = [];
    const t = withTrace({ transmit: async () => fromHex('9000') }, (l) => lines.push(l));
    return t.transmit(verify).then(() => {
      assert.equal(lines.length, 2);
      assert.ok(!lines.join('\n').includes('54 41'));
    });
  });

  it('follows 61xx with GET RESPONSE and resends on 6Cxx', async () => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    let pending = payload;
    const seen: string[] = [];
    const card: Transport = {
      async transmit(c) {
        seen.push(toHex(c));
        if (c[1] === 0xb0 && c[4] !== 0x10) return fromHex('6C10');
        if (c[1] === 0xb0) return encodeResponse(payload.subarray(0, 16), SW.OK);
        if (c[1] === 0xc0) {
          const n = c[4] || 256;
          const chunk = pending.subarray(0, n);
          pending = pending.subarray(n);
          return encodeResponse(chunk, pending.length ? 0x6100 | Math.min(pending.length, 255) : SW.OK);
        }
        return fromHex('6100');
      },
    };
    const t = withGetResponse(card);
    const r1 = parseResponse(await t.transmit(fromHex('00B0000000')));
    assert.equal(r1.sw, SW.OK);
    assert.equal(r1.data.length, 16);
    assert.deepEqual(seen.slice(0, 2), ['00B0000000', '00B0000010']);
    const r2 = parseResponse(await t.transmit(fromHex('802A00800101')));
    assert.equal(r2.sw, SW.OK);
    assert.deepEqual(r2.data, payload);
    assert.ok(seen.includes('00C0000000'));
  });

  it('refuses to select the Text AP and the card-face AP', async () => {
    const t = withForbiddenAidGuard({ transmit: async () => fromHex('9000') });
    await assert.rejects(t.transmit(fromHex('00A4040C0AD3921000310001010408')), /Individual Number/);
    await assert.rejects(t.transmit(fromHex('00A4040C0AD3921000310001010402')), /Individual Number/);
    assert.equal(toHex(await t.transmit(fromHex('00A4040C0AD392F000260100000001'))), '9000');
  });
});
