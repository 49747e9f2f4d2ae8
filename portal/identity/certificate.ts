// A certificate, parsed once with a small DER walk. node's X509Certificate costs ~200 µs to
// construct (it computes fingerprints and text forms we never use), so the hot path reads only
// what the checks need: names as bytes, validity, serial, key, keyUsage, TBS and signature.
import { createHash, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { children, DerError, decodeOid, expectTag, readTlv, TAG, type Tlv, value } from '../../card/der.ts';

export const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const KEY_USAGE = '2.5.29.15';

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface ParsedCertificate {
  der: Uint8Array;
  /** DER of tbsCertificate: what the issuer signed. */
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: string;
  issuer: Uint8Array;
  subject: Uint8Array;
  publicKey: KeyObject;
  /** RSA modulus size in bits and public exponent (only RSA keys parse). */
  modulusBits: number;
  exponent: number;
  /** undefined when the certificate has no keyUsage extension. */
  keyUsage: ReadonlySet<KeyUsage> | undefined;
  notBefore: Date;
  notAfter: Date;
  /** Lower-case hex without leading zeros (compares with CRL entries). */
  serial: string;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
}

export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

function readTime(der: Uint8Array, t: Tlv | undefined): Date {
  if (!t || (t.tag !== 0x17 && t.tag !== 0x18)) throw new DerError('validity: expected a time');
  const s = Buffer.from(value(der, t)).toString('latin1');
  const m =
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new DerError('validity: bad time');
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const d = new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
  if (Number.isNaN(d.getTime())) throw new DerError('validity: bad time');
  return d;
}

function readKeyUsage(der: Uint8Array, extsWrapper: Tlv | undefined): ReadonlySet<KeyUsage> | undefined {
  if (!extsWrapper) return undefined;
  for (const ext of children(der, expectTag(children(der, extsWrapper)[0], TAG.SEQUENCE, 'extensions'))) {
    const parts = children(der, expectTag(ext, TAG.SEQUENCE, 'extension'));
    if (decodeOid(value(der, expectTag(parts[0], TAG.OID, 'extnID'))) !== KEY_USAGE) continue;
    const octets = value(der, expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue'));
    const bits = value(octets, expectTag(readTlv(octets), TAG.BIT_STRING, 'keyUsage'));
    const out = new Set<KeyUsage>();
    KEY_USAGE_BITS.forEach((name, i) => {
      const byte = bits[1 + (i >> 3)] ?? 0;
      if (byte & (0x80 >> (i & 7))) out.add(name);
    });
    return out;
  }
  return undefined;
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/**
 * The RSA key of a SubjectPublicKeyInfo. Imported as a JWK: OpenSSL 3's DER decoders take
 * ~270 µs per key, a JWK ~10 µs (measured here), and a registration parses two.
 */
function readRsaKey(der: Uint8Array, spki: Tlv): { key: KeyObject; modulusBits: number; exponent: number } {
  const [alg, bits] = children(der, spki);
  const oid = decodeOid(
    value(der, expectTag(children(der, expectTag(alg, TAG.SEQUENCE, 'algorithm'))[0], TAG.OID, 'oid')),
  );
  if (oid !== RSA_ENCRYPTION) throw new DerError('not an RSA key');
  const bitString = value(der, expectTag(bits, TAG.BIT_STRING, 'subjectPublicKey'));
  if (bitString[0] !== 0) throw new DerError('subjectPublicKey: unused bits');
  const rsa = bitString.subarray(1);
  const [nTlv, eTlv] = children(rsa, expectTag(readTlv(rsa), TAG.SEQUENCE, 'RSAPublicKey'));
  let n = value(rsa, expectTag(nTlv, TAG.INTEGER, 'modulus'));
  let e = value(rsa, expectTag(eTlv, TAG.INTEGER, 'exponent'));
  while (n.length > 1 && n[0] === 0) n = n.subarray(1);
  while (e.length > 1 && e[0] === 0) e = e.subarray(1);
  if (e.length > 4) throw new DerError('exponent too large');
  const exponent = e.reduce((acc, b) => acc * 256 + b, 0);
  const modulusBits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
  const key = createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
  return { key, modulusBits, exponent };
}

/** Throws on anything that is not one well-formed X.509 v3 certificate. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = expectTag(readTlv(der), TAG.SEQUENCE, 'certificate');
  if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const [tbsTlv, algorithm, signatureTlv] = children(der, cert);
  const tbs = expectTag(tbsTlv, TAG.SEQUENCE, 'tbsCertificate');
  const fields = children(der, tbs);
  if (fields[0]?.tag !== 0xa0) throw new DerError('not a v3 certificate');
  const [, serial, , issuer, validity, subject, spki] = fields;
  const [notBefore, notAfter] = children(der, expectTag(validity, TAG.SEQUENCE, 'validity'));
  const algParts = children(der, expectTag(algorithm, TAG.SEQUENCE, 'signatureAlgorithm'));
  const sig = value(der, expectTag(signatureTlv, TAG.BIT_STRING, 'signature'));
  if (sig[0] !== 0) throw new DerError('signature: unused bits');
  const spkiTlv = expectTag(spki, TAG.SEQUENCE, 'subjectPublicKeyInfo');
  const issuerTlv = expectTag(issuer, TAG.SEQUENCE, 'issuer');
  const subjectTlv = expectTag(subject, TAG.SEQUENCE, 'subject');
  const rsa = readRsaKey(der, spkiTlv);
  return {
    der,
    tbs: der.subarray(tbs.start, tbs.end),
    signature: sig.subarray(1),
    signatureAlgorithm: decodeOid(value(der, expectTag(algParts[0], TAG.OID, 'algorithm'))),
    issuer: der.subarray(issuerTlv.start, issuerTlv.end),
    subject: der.subarray(subjectTlv.start, subjectTlv.end),
    publicKey: rsa.key,
    modulusBits: rsa.modulusBits,
    exponent: rsa.exponent,
    keyUsage: readKeyUsage(
      der,
      fields.find((t) => t.tag === 0xa3),
    ),
    notBefore: readTime(der, notBefore),
    notAfter: readTime(der, notAfter),
    serial: normalizeSerial(
      Buffer.from(value(der, expectTag(serial, TAG.INTEGER, 'serial'))).toString('hex'),
    ),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

/** For trust anchors (read once): whether the certificate says CA:TRUE. */
export function isCaCertificate(der: Uint8Array): boolean {
  return new X509Certificate(der).ca;
}
