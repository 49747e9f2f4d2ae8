// The strict DER reader (card/der.ts) and the certificate reader built on it
// (portal/identity/certificate.ts): one encoding per value, so the bytes outside what the CA
// signed cannot be varied to make one card look like another (issue 11, defect 1).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  checkDer,
  children,
  DerError,
  decodeOid,
  readBitString,
  readBoolean,
  readDer,
  readHeader,
  readInteger,
  readTime,
  readTlv,
} from '../../card/der.ts';
import { parseCertificate } from '../../portal/identity/certificate.ts';
import {
  elements,
  lengthOctets,
  outerVariants,
  paddedLength,
  splitCertificate,
  tlv,
} from '../helpers/cert-variants.ts';
import { testCard } from './fixtures.ts';

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const derError = (f: () => unknown) => assert.throws(f, DerError);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('DER lengths and headers', () => {
  test('the shortest length encoding only: no long form below 128, no leading zero octets', () => {
    assert.deepEqual(readHeader(bytes('3005')), { tag: 0x30, headerLength: 2, length: 5 });
    assert.deepEqual(readHeader(bytes('308180')), { tag: 0x30, headerLength: 3, length: 128 });
    assert.deepEqual(readHeader(bytes('30820100')), { tag: 0x30, headerLength: 4, length: 256 });
    derError(() => readHeader(bytes('308105'))); // 5 in long form
    derError(() => readHeader(bytes('3081 7f'))); // 127 in long form
    derError(() => readHeader(bytes('30820080'))); // leading zero octet
    derError(() => readHeader(bytes('3083000100'))); // 30 83 00 LL LL for 30 82 LL LL
  });

  test('no indefinite length, no end-of-contents, no high tag numbers', () => {
    derError(() => readHeader(bytes('3080')));
    derError(() => readHeader(bytes('0000')));
    derError(() => readHeader(bytes('1f2201')));
  });

  test('a header cut short asks for more (the card library reads certificates in chunks)', () => {
    assert.equal(readHeader(bytes('30')), undefined);
    assert.equal(readHeader(bytes('3082')), undefined);
    assert.equal(readHeader(bytes('308201')), undefined);
  });

  test('no trailing bytes after a value; children fill their container exactly', () => {
    assert.equal(readDer(bytes('0500')).end, 2);
    derError(() => readDer(bytes('050000')));
    derError(() => children(bytes('3003 0500 05'), readTlv(bytes('3003 0500 05'))));
  });
});

describe('DER primitive values', () => {
  test('INTEGER in its shortest form', () => {
    assert.deepEqual([...readInteger(bytes('020100'), readTlv(bytes('020100')), 'i')], [0]);
    assert.deepEqual([...readInteger(bytes('02020080'), readTlv(bytes('02020080')), 'i')], [0, 0x80]);
    for (const bad of ['0200', '0202007f', '0202ff80'])
      derError(() => readInteger(bytes(bad), readTlv(bytes(bad)), 'i'));
  });

  test('BIT STRING: unused-bit count 0–7, 0 when empty, unused bits zero', () => {
    assert.equal(readBitString(bytes('03020780'), readTlv(bytes('03020780')), 'b').unusedBits, 7);
    for (const bad of ['0300', '030108', '03020781', '03020880'])
      derError(() => readBitString(bytes(bad), readTlv(bytes(bad)), 'b'));
  });

  test('BOOLEAN is 00 or FF; OID sub-identifiers without 0x80 padding', () => {
    assert.equal(readBoolean(bytes('0101ff'), readTlv(bytes('0101ff')), 'b'), true);
    derError(() => readBoolean(bytes('010101'), readTlv(bytes('010101')), 'b'));
    derError(() => readBoolean(bytes('01020000'), readTlv(bytes('01020000')), 'b'));
    assert.equal(decodeOid(bytes('2a864886f70d01010b')), '1.2.840.113549.1.1.11');
    derError(() => decodeOid(bytes('2a80864886f70d01010b')));
    derError(() => decodeOid(bytes('2a86')));
  });

  test('times: seconds and Z present, and only dates that exist', () => {
    const time = (tag: number, s: string) => {
      const b = tlv(tag, new Uint8Array(Buffer.from(s, 'latin1')));
      return readTime(b, readTlv(b), 't');
    };
    assert.equal(time(0x17, '300217235959Z').toISOString(), '2030-02-17T23:59:59.000Z');
    assert.equal(time(0x18, '20500101000000Z').toISOString(), '2050-01-01T00:00:00.000Z');
    for (const bad of ['3002172359Z', '300217235959+0900', '300230000000Z', '301317000000Z', '300217240000Z'])
      derError(() => time(0x17, bad));
    derError(() => time(0x18, '20500101000000.5Z'));
  });

  test('SET elements in ascending order; no constructed strings; NULL empty', () => {
    const ok = bytes('3106 0201 01 0201 02');
    checkDer(ok, readDer(ok));
    const unordered = bytes('3106 0201 02 0201 01');
    derError(() => checkDer(unordered, readDer(unordered)));
    const constructed = bytes('2403 0401 00');
    derError(() => checkDer(constructed, readDer(constructed)));
    const nonEmptyNull = bytes('0501 00');
    derError(() => checkDer(nonEmptyNull, readDer(nonEmptyNull)));
  });
});

describe('the certificate reader', () => {
  let der: Uint8Array;
  let identity: string;
  let tbsStart: number;
  let tbsEnd: number;
  before(async () => {
    der = new Uint8Array(Buffer.from((await testCard('der-strict')).auth.certificate, 'base64'));
    identity = createHash('sha256').update(splitCertificate(der).tbs).digest('hex');
    tbsStart = der.length - elements(der).reduce((n, e) => n + e.length, 0);
    tbsEnd = tbsStart + splitCertificate(der).tbs.length;
  });

  test('the card identity is the SHA-256 of the TBSCertificate', () => {
    const c = parseCertificate(der);
    assert.equal(c.tbsSha256, identity);
    assert.notEqual(c.tbsSha256, c.fingerprint);
  });

  test('each re-encoding of the outer layer is refused', () => {
    for (const [name, variant] of Object.entries(outerVariants(der))) {
      assert.throws(() => parseCertificate(variant), DerError, name);
    }
  });

  /** Re-encodings of the unsigned outer layer: lengths padded, parameters, extra elements, tails. */
  const outerReencoding = fc.record({
    outerPad: fc.integer({ min: 0, max: 2 }),
    algPad: fc.integer({ min: 0, max: 2 }),
    sigPad: fc.integer({ min: 0, max: 2 }),
    params: fc.oneof(
      fc.constant('NULL'),
      fc.constant('none'),
      fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(tlv(0x04, b)).toString('hex')),
    ),
    extra: fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 2 }),
    tail: fc.uint8Array({ maxLength: 3 }),
    signatureEdits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }),
  });

  type Reencoding = typeof outerReencoding extends fc.Arbitrary<infer T> ? T : never;
  function reencode(r: Reencoding): Uint8Array {
    const { tbs, algorithm, signature } = splitCertificate(der);
    const [oid] = elements(algorithm);
    const params =
      r.params === 'NULL' ? bytes('0500') : r.params === 'none' ? new Uint8Array() : bytes(r.params);
    const algContent = concat(oid!, params);
    const alg = tlv(0x30, algContent, r.algPad ? paddedLength(algContent.length, r.algPad) : undefined);
    const sigContent = new Uint8Array(signature.subarray(4)); // 03 82 01 01: RSA-2048
    for (const [at, b] of r.signatureEdits) sigContent[1 + (at % (sigContent.length - 1))] = b;
    const sig = tlv(0x03, sigContent, r.sigPad ? paddedLength(sigContent.length, r.sigPad) : undefined);
    const content = concat(tbs, alg, sig, ...r.extra.map((e) => tlv(0x04, e)));
    const head = r.outerPad ? paddedLength(content.length, r.outerPad) : lengthOctets(content.length);
    return concat(tlv(0x30, content, head), r.tail);
  }

  /** Accepted ⇒ the same card: the identity is the same, and only the signature value differs. */
  function sameCardOrRefused(variant: Uint8Array): void {
    let c: ReturnType<typeof parseCertificate>;
    try {
      c = parseCertificate(variant);
    } catch (e) {
      assert.ok(e instanceof DerError, `not a DerError: ${(e as Error).stack}`);
      return;
    }
    assert.equal(c.tbsSha256, identity);
    assert.equal(variant.length, der.length, 'one accepted encoding: the length cannot change');
    const { signature } = splitCertificate(der);
    for (let i = 0; i < der.length - signature.length + 5; i++) assert.equal(variant[i], der[i], `byte ${i}`);
  }

  test('property: a re-encoding of the outer layer either fails to parse or is the same card', () => {
    fc.assert(
      fc.property(outerReencoding, (r) => sameCardOrRefused(reencode(r))),
      { numRuns: 500 },
    );
  });

  test('property: byte edits, insertions and deletions outside the TBS: refused or the same card', () => {
    const outside = () =>
      fc.oneof(fc.integer({ min: 0, max: tbsStart - 1 }), fc.integer({ min: tbsEnd, max: der.length - 1 }));
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: outside(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: outside(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: outside(), byte: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        // Applied from the end, so the positions of the earlier edits still point outside the TBS.
        const b = [...der];
        for (const e of [...edits].sort((x, y) => y.at - x.at)) {
          if (e.kind === 'set') b[e.at] = e.byte;
          else if (e.kind === 'insert') b.splice(e.at, 0, e.byte);
          else b.splice(e.at, 1);
        }
        sameCardOrRefused(Uint8Array.from(b));
      }),
      { numRuns: 1000 },
    );
  });

  test('property: on arbitrary bytes the readers throw DerError and nothing else', () => {
    const onlyDerError = (input: Uint8Array) => {
      for (const read of [
        () => parseCertificate(input),
        () => checkDer(input, readDer(input)),
        () => readHeader(input),
      ]) {
        try {
          read();
        } catch (e) {
          assert.ok(e instanceof DerError, `${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), onlyDerError), { numRuns: 1000 });
    // Random bytes rarely get past the first header: edits of a real certificate go deeper.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const b = new Uint8Array(der);
          for (const [at, v] of edits) b[at % b.length] = v;
          onlyDerError(b);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
