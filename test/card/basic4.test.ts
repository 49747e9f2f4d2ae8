import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  Basic4Error,
  parseBasic4,
  prefillDateOfBirth,
  prefillFromBasic4,
  prefillUserName,
  toJpkiDateOfBirth,
} from '../../card/basic4.ts';
import { ctx, encodeOid, seq, tlv, utf8 } from '../../card/der.ts';
import { BASIC4_OID, basic4SubjectAltName, EXT_OID, otherName } from '../../card/pki/profile.ts';
import { generateRsaKeys, RSA_ALG, x509 } from '../../card/pki/x509.ts';
import { TARO, testCard, testPki } from './fixtures.ts';

let keysPromise: ReturnType<typeof generateRsaKeys> | undefined;

/** A certificate signed by the test sign root with an arbitrary subjectAltName value. */
async function certWithSan(san: Uint8Array | null): Promise<Uint8Array> {
  const { pki } = await testPki();
  keysPromise ??= generateRsaKeys();
  const keys = await keysPromise;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0a',
    subject: 'C=JP, CN=TEST',
    issuer: pki.sign.certificate.subject,
    publicKey: keys.keys.publicKey,
    signingKey: pki.sign.privateKey,
    signingAlgorithm: RSA_ALG,
    extensions: san ? [new x509.Extension(EXT_OID.subjectAltName, false, new Uint8Array(san))] : [],
  });
  return new Uint8Array(cert.rawData);
}

function code(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof Basic4Error, `unexpected ${String(e)}`);
    return e.code;
  }
}

describe('basic-4 parser', () => {
  it('reads the six fields from a PKI-issued sign certificate', async () => {
    const card = await testCard();
    const info = parseBasic4(Buffer.from(card.sign!.certificate, 'base64'));
    assert.deepEqual(info, { ...TARO });
    assert.deepEqual(prefillFromBasic4(info), {
      userName: 'HOUMU TARO',
      sex: 'male',
      dateOfBirth: '1990-04-01',
    });
  });

  it('reads non-Latin names and addresses', async () => {
    const name = '法務　花子';
    const address = '大阪府大阪市北区中之島一丁目３番２０号';
    const der = await certWithSan(
      basic4SubjectAltName({
        ...TARO,
        name,
        nameSubstitutes: '00000',
        sex: '2',
        address,
        addressSubstitutes: '0',
      }),
    );
    const info = parseBasic4(der);
    assert.equal(info.name, name);
    assert.equal(info.address, address);
    assert.deepEqual(prefillFromBasic4(info), { sex: 'female', dateOfBirth: '1990-04-01' });
  });

  it('accepts OCTET STRING values and ignores other names', async () => {
    const octet = (oid: string, text: string) =>
      ctx(0, encodeOid(oid), ctx(0, tlv(0x04, new TextEncoder().encode(text))));
    const der = await certWithSan(
      seq(
        tlv(0x82, new TextEncoder().encode('example.jp')), // dNSName
        otherName('1.3.6.1.4.1.311.20.2.3', 'upn@example'),
        octet(BASIC4_OID.name, 'ＨＯＵＭＵ　ＴＡＲＯ'),
        otherName(BASIC4_OID.nameSubstitutes, '000000000'),
        octet(BASIC4_OID.sex, '3'),
        otherName(BASIC4_OID.dateOfBirth, '019900401'),
        otherName(BASIC4_OID.address, 'x'),
        otherName(BASIC4_OID.addressSubstitutes, '1'),
      ),
    );
    const info = parseBasic4(der);
    assert.equal(info.sex, '3');
    assert.deepEqual(prefillFromBasic4(info), { userName: 'HOUMU TARO' });
  });

  it('gives clear typed errors for malformed extensions', async () => {
    const all = (skip?: string) =>
      Object.values(BASIC4_OID)
        .filter((o) => o !== skip)
        .map((o) => otherName(o, '1'));
    assert.equal(
      code(() => parseBasic4(new Uint8Array([1, 2, 3]))),
      'not_a_certificate',
    );
    assert.equal(
      code(() => parseBasic4(new Uint8Array(0))),
      'not_a_certificate',
    );
    assert.equal(
      code(() => parseBasic4(new Uint8Array([0x30, 0x82, 0xff, 0xff, 0]))),
      'not_a_certificate',
    );
    const cases: [Uint8Array | null, string][] = [
      [null, 'no_subject_alt_name'],
      [new Uint8Array([0x30, 0x05, 0xa0]), 'malformed_subject_alt_name'],
      [new Uint8Array([0x04, 0x00]), 'malformed_subject_alt_name'],
      [seq(ctx(0, encodeOid(BASIC4_OID.name))), 'malformed_subject_alt_name'],
      [seq(ctx(0, encodeOid(BASIC4_OID.name), ctx(0, tlv(0x02, Uint8Array.of(1))))), 'bad_field_value'],
      [
        seq(ctx(0, encodeOid(BASIC4_OID.name), ctx(0, tlv(0x0c, Uint8Array.of(0xff, 0xfe))))),
        'bad_field_value',
      ],
      [seq(...all(BASIC4_OID.dateOfBirth)), 'missing_field'],
      [seq(...all(), otherName(BASIC4_OID.sex, '2')), 'duplicate_field'],
      [seq(ctx(0, tlv(0x06, Uint8Array.of(0x80)), ctx(0, utf8('x')))), 'malformed_subject_alt_name'],
    ];
    for (const [san, expected] of cases) {
      const der = await certWithSan(san);
      assert.equal(
        code(() => parseBasic4(der)),
        expected,
        `${expected}`,
      );
    }
  });

  it('never throws anything but Basic4Error on mutated certificates', async () => {
    const der = Buffer.from((await testCard()).sign!.certificate, 'base64');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (edits) => {
          const copy = new Uint8Array(der);
          for (const [i, b] of edits) copy[i] = b;
          code(() => parseBasic4(copy));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('STEP1 pre-fill (spec §8.4)', () => {
  it('user name: NFKC, U+3000 → space, collapse, upper-case, pattern, length, no substitutes', () => {
    assert.equal(prefillUserName('ＨＯＵＭＵ　ＴＡＲＯ', '000000000'), 'HOUMU TARO');
    assert.equal(prefillUserName('houmu  taro', '0000000000'), 'HOUMU TARO');
    assert.equal(prefillUserName('  Smith　　John ', '0'), 'SMITH JOHN');
    assert.equal(prefillUserName('ＨＯＵＭＵ　ＴＡＲＯ', '000010000'), undefined);
    assert.equal(prefillUserName('法務　太郎', '00000'), undefined);
    assert.equal(prefillUserName("O'BRIEN JOHN", '0'), undefined);
    assert.equal(prefillUserName('JOHN-PAUL', '0'), undefined);
    assert.equal(prefillUserName('ＭＵＬＬＥＲ ＪＯＨＮ２', '0'), undefined);
    assert.equal(prefillUserName('A'.repeat(104), '0'), 'A'.repeat(104));
    assert.equal(prefillUserName('A'.repeat(105), '0'), undefined);
    assert.equal(prefillUserName('', ''), undefined);
  });

  it('sex: 1 and 2 only', () => {
    const base = { ...TARO, name: '法務' };
    assert.equal(prefillFromBasic4({ ...base, sex: '1' }).sex, 'male');
    assert.equal(prefillFromBasic4({ ...base, sex: '2' }).sex, 'female');
    assert.equal(prefillFromBasic4({ ...base, sex: '3' }).sex, undefined);
    assert.equal(prefillFromBasic4({ ...base, sex: '9' }).sex, undefined);
  });

  it('date of birth: era ≠ 0, a real date, no 00 month/day', () => {
    assert.equal(prefillDateOfBirth('419900401'), '1990-04-01');
    assert.equal(prefillDateOfBirth('520200229'), '2020-02-29');
    assert.equal(prefillDateOfBirth('419900229'), undefined);
    assert.equal(prefillDateOfBirth('019900401'), undefined);
    assert.equal(prefillDateOfBirth('419900001'), undefined);
    assert.equal(prefillDateOfBirth('419900400'), undefined);
    assert.equal(prefillDateOfBirth('419901301'), undefined);
    assert.equal(prefillDateOfBirth('41990041'), undefined);
    assert.equal(prefillDateOfBirth('４19900401'), undefined);
  });

  it('toJpkiDateOfBirth picks the era digit', () => {
    assert.equal(toJpkiDateOfBirth('1990-04-01'), '419900401');
    assert.equal(toJpkiDateOfBirth('1989-01-07'), '319890107');
    assert.equal(toJpkiDateOfBirth('1989-01-08'), '419890108');
    assert.equal(toJpkiDateOfBirth('2019-05-01'), '520190501');
    assert.equal(toJpkiDateOfBirth('1920-01-01'), '219200101');
    assert.equal(toJpkiDateOfBirth('1850-01-01'), '018500101');
    assert.throws(() => toJpkiDateOfBirth('1990-02-30'), RangeError);
  });
});
