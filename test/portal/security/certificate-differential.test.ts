// Differential test of the portal's own certificate reader (portal/identity/certificate.ts)
// against node:crypto's X509Certificate and @peculiar/x509, over the demo certificates of
// card/pki and mutated variants of them (issue 11, defect 1).
//
// The rule: whatever node or @peculiar/x509 refuses, we refuse; whatever we accept, both
// accept and read the same serial, issuer, subject, validity, key usage and public key. Both
// libraries are more lenient than DER and RFC 5280 in many places; there we refuse on purpose,
// and LENIENT below says, per variant, what they accept and why we do not.
import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  KEY_USAGE_BITS,
  type ParsedCertificate,
  parseCertificate,
} from '../../../portal/identity/certificate.ts';
import { x509 } from '../../../portal/identity/peculiar.ts';
import { innerVariants, outerVariants } from '../../helpers/cert-variants.ts';
import { setupPki, type TestPki } from '../registration/helpers.ts';

/**
 * Variants node:crypto (OpenSSL) and/or @peculiar/x509 (asn1-schema) accept and we refuse on
 * purpose. Any of them would let one certificate (one card) be posted in more than one
 * encoding, or would read a field differently from a strict reader.
 */
const LENIENT: Record<string, string> = {
  'non-minimal outer length': 'BER long-form length with a leading zero; DER has one length encoding',
  'outer AlgorithmIdentifier without its NULL parameters':
    'neither compares the outer algorithm with the TBS signature field (RFC 5280 §4.1.1.2)',
  'outer AlgorithmIdentifier with other parameters': 'as above: the outer layer is not signed',
  'non-minimal length of the signature BIT STRING': 'BER length',
  'non-minimal length of the outer AlgorithmIdentifier': 'BER length',
  'indefinite outer length': 'BER indefinite length; DER forbids it',
  'trailing bytes after the certificate': 'both ignore bytes after the first certificate',
  'non-minimal length of the issuer': 'BER length',
  'zero serial': 'RFC 5280 §4.1.2.2: the serial is a positive integer',
  'serial of 21 octets': 'RFC 5280 §4.1.2.2: at most 20 octets',
  'version 1 written out': 'a v1 certificate with extensions; DER also omits the DEFAULT v1',
  'keyUsage with a set unused bit': 'DER: unused bits of a BIT STRING are zero',
  'critical BOOLEAN encoded as 01': 'DER: TRUE is FF',
  'critical FALSE written out': 'DER: a value equal to its DEFAULT is omitted',
  'unknown critical extension':
    'parsing is not path validation; RFC 5280 §4.2 makes the certificate unusable',
  'duplicate keyUsage extension': 'RFC 5280 §4.2: an extension appears at most once',
  'empty extensions': 'Extensions is SEQUENCE SIZE (1..MAX)',
  'trailing byte inside the keyUsage extnValue': 'extnValue holds exactly one DER value',
  'constructed OCTET STRING extnValue': 'node accepts the BER constructed form; DER forbids it',
  'GeneralizedTime before 2050': 'RFC 5280 §4.1.2.5: UTCTime through 2049',
  'UTCTime without seconds': 'DER: seconds are present',
  'UTCTime with a zone offset': 'DER: times are in UTC (Z)',
  'notAfter on February 30th': 'a date that does not exist (both roll it over into March)',
  'rsaEncryption without NULL parameters': 'RFC 3279 §2.3.1: the parameters are NULL',
  'subjectPublicKey BIT STRING with unused bits': 'a key is a whole number of octets',
  'RSA modulus with a superfluous leading zero': 'DER: INTEGER in its shortest form',
  'issuerUniqueID present': 'RFC 5280 §4.1.2.8: conforming CAs do not write unique identifiers',
  'RDN SET out of DER order': 'DER: SET OF elements sorted by encoding',
  'PrintableString with a character outside its set': 'neither checks the PrintableString alphabet',
  'TBS signature algorithm differs from the outer one': 'neither compares the two',
  'both algorithm identifiers without NULL parameters':
    'RFC 4055 §5: sha256WithRSAEncryption parameters are NULL',
};

/** Variants that are well formed: every reader accepts them and reads the same fields. */
const ALLOWED = [
  'unknown non-critical extension (allowed)',
  'another signature value (allowed: parsing does not verify)',
];

interface Fields {
  serial: string;
  issuer: string;
  subject: string;
  notBefore: number;
  notAfter: number;
  /** keyUsage as @peculiar/x509's flags (bit i = KEY_USAGE_BITS[i]); -1 without the extension. */
  keyUsage: number;
  publicKey: string;
}

const hex = (s: string) => s.toLowerCase().replace(/^0+(?=.)/, '');
const jwk = (k: ReturnType<typeof createPublicKey>) => JSON.stringify(k.export({ format: 'jwk' }));
/** node's multi-line form of a Name ("C=JP\nO=…"), built from DER through @peculiar/x509. */
const nameLines = (der: Uint8Array) =>
  new x509.Name(Buffer.from(der))
    .toJSON()
    .flatMap((rdn) => Object.entries(rdn).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`)))
    .join('\n');

function oursFields(c: ParsedCertificate): Fields {
  return {
    serial: c.serial,
    issuer: nameLines(c.issuer),
    subject: nameLines(c.subject),
    notBefore: c.notBefore.getTime(),
    notAfter: c.notAfter.getTime(),
    keyUsage: c.keyUsage
      ? KEY_USAGE_BITS.reduce((m, u, i) => (c.keyUsage!.has(u) ? m | (1 << i) : m), 0)
      : -1,
    publicKey: jwk(c.publicKey),
  };
}

type Read<T> = { ok: true; value: T } | { ok: false; error: string };
function read<T>(f: () => T): Read<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function readAll(der: Uint8Array) {
  const ours = read(() => parseCertificate(der));
  const node = read(() => {
    const c = new X509Certificate(der);
    return {
      serial: hex(c.serialNumber),
      issuer: c.issuer,
      subject: c.subject,
      notBefore: Date.parse(c.validFrom),
      notAfter: Date.parse(c.validTo),
      publicKey: jwk(c.publicKey),
    };
  });
  const peculiar = read(() => {
    const c = new x509.X509Certificate(Buffer.from(der));
    const ku = c.getExtension(x509.KeyUsagesExtension);
    return {
      serial: hex(c.serialNumber),
      issuer: nameLines(new Uint8Array(c.issuerName.toArrayBuffer())),
      subject: nameLines(new Uint8Array(c.subjectName.toArrayBuffer())),
      notBefore: c.notBefore.getTime(),
      notAfter: c.notAfter.getTime(),
      // Only the seven bits this system reads (encipherOnly and decipherOnly are not used).
      keyUsage: ku ? ku.usages & 0x7f : -1,
      publicKey: jwk(createPublicKey({ key: Buffer.from(c.publicKey.rawData), format: 'der', type: 'spki' })),
    };
  });
  return { ours, node, peculiar };
}

/** Ours accepts ⇒ both others accept and read the same fields (node has no keyUsage bits). */
function assertAgreement(name: string, der: Uint8Array): void {
  const { ours, node, peculiar } = readAll(der);
  if (!ours.ok) return;
  assert.ok(node.ok, `${name}: we accept, node:crypto refuses (${node.ok ? '' : node.error})`);
  assert.ok(peculiar.ok, `${name}: we accept, @peculiar/x509 refuses (${peculiar.ok ? '' : peculiar.error})`);
  const f = oursFields(ours.value);
  const { keyUsage, ...withoutKeyUsage } = f;
  // node's text form of a name escapes special characters (O=\+PKI) and has its own short
  // names for some attribute types ("title" for T): names outside the common types and
  // characters are compared with @peculiar/x509's reading only.
  const n = { ...node.value };
  const plain = (s: string) => s.split('\n').every((l) => /^(C|O|OU|CN|L|ST)=[^\\]*$/.test(l));
  if (!plain(n.issuer) || !plain(f.issuer)) n.issuer = f.issuer;
  if (!plain(n.subject) || !plain(f.subject)) n.subject = f.subject;
  assert.deepEqual(n, withoutKeyUsage, `${name}: fields differ from node:crypto`);
  assert.deepEqual(peculiar.value, f, `${name}: fields differ from @peculiar/x509`);
  assert.equal(keyUsage, peculiar.value.keyUsage);
}

let pki: TestPki;
let demo: Record<string, Uint8Array>;
before(async () => {
  pki = await setupPki({ taro: 'taro', kanji: 'kanji' });
  const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
  demo = {
    'sign root': new Uint8Array(pki.pki.sign.certificate.rawData),
    'auth root': new Uint8Array(pki.pki.auth.certificate.rawData),
    'taro auth': b64(pki.cards.taro!.auth.certificate),
    'taro sign': b64(pki.cards.taro!.sign!.certificate),
    'kanji auth': b64(pki.cards.kanji!.auth.certificate),
    'kanji sign': b64(pki.cards.kanji!.sign!.certificate),
  };
});
after(() => pki.close());

describe('parseCertificate against node:crypto and @peculiar/x509', () => {
  test('the demo certificates: all three accept and read the same fields', () => {
    for (const [name, der] of Object.entries(demo)) {
      const { ours, node, peculiar } = readAll(der);
      assert.ok(ours.ok && node.ok && peculiar.ok, name);
      assertAgreement(name, der);
    }
  });

  test('mutated variants: refused wherever node:crypto or @peculiar/x509 refuses', () => {
    let refusedByOthers = 0;
    for (const base of ['taro auth', 'taro sign', 'auth root']) {
      const der = demo[base]!;
      for (const [name, variant] of Object.entries({ ...outerVariants(der), ...innerVariants(der) })) {
        const { ours, node, peculiar } = readAll(variant);
        if (!node.ok || !peculiar.ok) {
          refusedByOthers++;
          assert.equal(ours.ok, false, `${base}, ${name}: node or @peculiar/x509 refuses, we accept`);
        }
        assertAgreement(`${base}, ${name}`, variant);
      }
    }
    assert.ok(refusedByOthers > 0, 'some variants are refused by the other readers');
  });

  test('where the others are more lenient than DER requires, we refuse on purpose', () => {
    const der = demo['taro auth']!;
    const variants = { ...outerVariants(der), ...innerVariants(der) };
    for (const name of Object.keys(variants)) {
      if (ALLOWED.includes(name)) continue;
      assert.ok(
        name in LENIENT || !readAll(variants[name]!).node.ok,
        `${name}: listed in LENIENT or refused by node`,
      );
    }
    for (const name of Object.keys(LENIENT)) {
      const r = read(() => parseCertificate(variants[name]!));
      assert.equal(r.ok, false, `${name} is refused`);
    }
  });

  test('well-formed variants: accepted by all three with the same fields', () => {
    const der = demo['taro auth']!;
    const variants = innerVariants(der);
    for (const name of ALLOWED) {
      const { ours, node, peculiar } = readAll(variants[name]!);
      assert.ok(ours.ok && node.ok && peculiar.ok, name);
      assertAgreement(name, variants[name]!);
    }
  });

  test('property: random byte changes anywhere — if we accept, both others accept and agree', () => {
    const bases = Object.values(demo);
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          const der = new Uint8Array(bases[which]!);
          for (const [at, byte] of edits) der[at % der.length] = byte;
          assertAgreement(`edits ${JSON.stringify(edits)}`, der);
        },
      ),
      { numRuns: 400 },
    );
  });
});
