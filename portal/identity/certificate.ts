// A card certificate, parsed once: node's X509Certificate for keys, names and signatures,
// plus the few DER fields node does not expose (signature algorithm, keyUsage bits).
import { createHash, X509Certificate } from 'node:crypto';
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
  x509: X509Certificate;
  signatureAlgorithm: string;
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

function readKeyUsage(der: Uint8Array, tbs: Tlv): ReadonlySet<KeyUsage> | undefined {
  const exts = children(der, tbs).find((t) => t.tag === 0xa3);
  if (!exts) return undefined;
  for (const ext of children(der, expectTag(children(der, exts)[0], TAG.SEQUENCE, 'extensions'))) {
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

/** Throws (DerError or node's error) on anything that is not one well-formed X.509 certificate. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const x509 = new X509Certificate(der);
  const cert = expectTag(readTlv(der), TAG.SEQUENCE, 'certificate');
  if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const [tbs, algorithm] = children(der, cert);
  const algParts = children(der, expectTag(algorithm, TAG.SEQUENCE, 'signatureAlgorithm'));
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()))
    throw new DerError('bad validity');
  return {
    der,
    x509,
    signatureAlgorithm: decodeOid(value(der, expectTag(algParts[0], TAG.OID, 'algorithm'))),
    keyUsage: readKeyUsage(der, expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate')),
    notBefore,
    notAfter,
    serial: normalizeSerial(x509.serialNumber),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}
