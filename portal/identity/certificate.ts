// A certificate, parsed once with a small, strict DER walk. node's X509Certificate costs ~200 µs
// to construct (it computes fingerprints and text forms we never use), so the hot path reads
// only what the checks need: names as bytes, validity, serial, key, keyUsage, TBS and signature.
// Strict (docs/decisions/0601-card-identity.md): one certificate has one accepted encoding, so
// nothing outside what the CA signed can be varied to make a card look new.
import { createHash, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import {
  checkDer,
  children,
  childrenCount,
  DerError,
  decodeOid,
  encoding,
  expectTag,
  readBitString,
  readBoolean,
  readDer,
  readInteger,
  readPositiveInteger,
  readTime,
  TAG,
  type Tlv,
  value,
} from '../../card/der.ts';

export const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const KEY_USAGE = '2.5.29.15';
const BASIC_CONSTRAINTS = '2.5.29.19';

/**
 * Extensions this system understands, so they may be marked critical (RFC 5280 §4.2: a critical
 * extension that is not recognised makes the certificate unusable). keyUsage is checked here;
 * basicConstraints decides the trust anchors; certificatePolicies is implied by the configured
 * JPKI roots, which issue under one policy each; the alternative names restrict nothing.
 */
const KNOWN_CRITICAL = new Set([
  KEY_USAGE,
  BASIC_CONSTRAINTS,
  '2.5.29.32', // certificatePolicies
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
]);

/** The PKCS #1 signature algorithms, whose parameters must be NULL (RFC 4055 §5). */
const RSA_SIGNATURES = new Set([
  '1.2.840.113549.1.1.5',
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
]);

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
  /**
   * SHA-256 of the tbsCertificate DER, lower-case hex: a hash of exactly what the CA signed.
   * For the authentication certificate this is the card's identity in this system.
   */
  tbsSha256: string;
}

export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
function readAlgorithm(der: Uint8Array, t: Tlv | undefined, what: string): { oid: string; params?: Tlv } {
  const [oid, params] = childrenCount(der, expectTag(t, TAG.SEQUENCE, what), 1, 2, what);
  return {
    oid: decodeOid(value(der, expectTag(oid, TAG.OID, `${what} algorithm`))),
    ...(params ? { params } : {}),
  };
}

const isNull = (t: Tlv | undefined) => t?.tag === TAG.NULL && t.end === t.valueStart;

/**
 * The string types an attribute value of a name is written in: X.520 DirectoryString (Teletex,
 * Printable, Universal, UTF8, BMP) and IA5String (emailAddress, domainComponent), RFC 5280 §4.1.2.4.
 */
const NAME_STRING_TAGS = new Set([0x14, 0x13, 0x1c, 0x0c, 0x1e, 0x16]);

/** Name ::= SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type OID, value (a string type) }. */
function checkName(der: Uint8Array, t: Tlv | undefined, what: string): Tlv {
  const name = expectTag(t, TAG.SEQUENCE, what);
  for (const rdn of children(der, name)) checkRdn(der, expectTag(rdn, TAG.SET, what), what);
  return name;
}

function checkRdn(der: Uint8Array, rdn: Tlv, what: string): void {
  for (const atv of childrenCount(der, rdn, 1, Number.POSITIVE_INFINITY, what)) {
    const [type, v] = childrenCount(der, expectTag(atv, TAG.SEQUENCE, what), 2, 2, what);
    expectTag(type, TAG.OID, `${what} attribute type`);
    if (!NAME_STRING_TAGS.has(v!.tag)) throw new DerError(`${what}: attribute value is not a string`);
  }
}

const many = Number.POSITIVE_INFINITY;

/** GeneralName (RFC 5280 §4.2.1.6): one of its nine alternatives, each in its own form. */
function checkGeneralName(der: Uint8Array, t: Tlv | undefined): void {
  if (!t) throw new DerError('GeneralName: missing');
  const v = value(der, t);
  switch (t.tag) {
    case 0xa0: {
      const [typeId, wrapped] = childrenCount(der, t, 2, 2, 'otherName');
      expectTag(typeId, TAG.OID, 'otherName type-id');
      childrenCount(der, expectTag(wrapped, 0xa0, 'otherName value'), 1, 1, 'otherName value');
      return;
    }
    case 0x81:
    case 0x82:
    case 0x86:
      if (v.some((b) => b > 0x7f)) throw new DerError('GeneralName: IA5String with non-ASCII octets');
      return;
    case 0xa3:
    case 0xa5:
      return; // x400Address, ediPartyName: constructed (checked by checkDer), not read here
    case 0xa4:
      checkName(der, childrenCount(der, t, 1, 1, 'directoryName')[0], 'directoryName');
      return;
    case 0x87:
      if (v.length !== 4 && v.length !== 16) throw new DerError('GeneralName: iPAddress of bad length');
      return;
    case 0x88:
      decodeOid(v);
      return;
    default:
      throw new DerError(`GeneralName: unknown alternative ${t.tag.toString(16)}`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, or its IMPLICIT-tagged form. */
function checkGeneralNames(der: Uint8Array, t: Tlv, what: string): void {
  for (const gn of childrenCount(der, t, 1, many, what)) checkGeneralName(der, gn);
}

/** Optional elements with the given tags, each at most once and in this order, nothing else. */
function ordered(der: Uint8Array, parent: Tlv, tags: number[], what: string): Map<number, Tlv> {
  const out = new Map<number, Tlv>();
  let next = 0;
  for (const t of children(der, parent)) {
    const i = tags.indexOf(t.tag, next);
    if (i < 0) throw new DerError(`${what}: unexpected element ${t.tag.toString(16)}`);
    out.set(t.tag, t);
    next = i + 1;
  }
  return out;
}

/**
 * The extensions of RFC 5280 §4.2.1 a JPKI certificate carries (and the other readers decode):
 * each value must have its own structure, even where this system does not read it.
 */
const EXTENSION_SCHEMAS: Record<string, (o: Uint8Array, t: Tlv) => void> = {
  // subjectKeyIdentifier
  '2.5.29.14': (_o, t) => expectTag(t, TAG.OCTET_STRING, 'subjectKeyIdentifier'),
  // authorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier, [1] issuer, [2] serial } (all optional)
  '2.5.29.35': (o, t) => {
    const parts = ordered(
      o,
      expectTag(t, TAG.SEQUENCE, 'authorityKeyIdentifier'),
      [0x80, 0xa1, 0x82],
      'authorityKeyIdentifier',
    );
    const names = parts.get(0xa1);
    if (names) checkGeneralNames(o, names, 'authorityCertIssuer');
  },
  '2.5.29.17': (o, t) => checkGeneralNames(o, expectTag(t, TAG.SEQUENCE, 'subjectAltName'), 'subjectAltName'),
  '2.5.29.18': (o, t) => checkGeneralNames(o, expectTag(t, TAG.SEQUENCE, 'issuerAltName'), 'issuerAltName'),
  // certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { OID, qualifiers SEQUENCE OF { OID, ANY } OPTIONAL }
  '2.5.29.32': (o, t) => {
    for (const info of childrenCount(
      o,
      expectTag(t, TAG.SEQUENCE, 'certificatePolicies'),
      1,
      many,
      'certificatePolicies',
    )) {
      const [id, qualifiers] = childrenCount(
        o,
        expectTag(info, TAG.SEQUENCE, 'PolicyInformation'),
        1,
        2,
        'PolicyInformation',
      );
      expectTag(id, TAG.OID, 'policyIdentifier');
      if (!qualifiers) continue;
      for (const q of childrenCount(
        o,
        expectTag(qualifiers, TAG.SEQUENCE, 'policyQualifiers'),
        1,
        many,
        'policyQualifiers',
      )) {
        expectTag(
          childrenCount(o, expectTag(q, TAG.SEQUENCE, 'PolicyQualifierInfo'), 2, 2, 'PolicyQualifierInfo')[0],
          TAG.OID,
          'policyQualifierId',
        );
      }
    }
  },
  // cRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
  '2.5.29.31': (o, t) => {
    for (const dp of childrenCount(
      o,
      expectTag(t, TAG.SEQUENCE, 'cRLDistributionPoints'),
      1,
      many,
      'cRLDistributionPoints',
    )) {
      const parts = ordered(
        o,
        expectTag(dp, TAG.SEQUENCE, 'DistributionPoint'),
        [0xa0, 0x81, 0xa2],
        'DistributionPoint',
      );
      const name = parts.get(0xa0);
      if (name) {
        const [choice] = childrenCount(o, name, 1, 1, 'distributionPoint');
        if (choice!.tag === 0xa0) checkGeneralNames(o, choice!, 'fullName');
        else if (choice!.tag === 0xa1) checkRdn(o, choice!, 'nameRelativeToCRLIssuer');
        else throw new DerError('distributionPoint: unknown alternative');
      }
      const reasons = parts.get(0x81);
      if (reasons) readBitString(o, { ...reasons, tag: TAG.BIT_STRING }, 'reasons');
      const issuer = parts.get(0xa2);
      if (issuer) checkGeneralNames(o, issuer, 'cRLIssuer');
    }
  },
  // extKeyUsage ::= SEQUENCE SIZE (1..MAX) OF OID
  '2.5.29.37': (o, t) => {
    for (const id of childrenCount(o, expectTag(t, TAG.SEQUENCE, 'extKeyUsage'), 1, many, 'extKeyUsage'))
      expectTag(id, TAG.OID, 'KeyPurposeId');
  },
  // authorityInfoAccess ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { accessMethod OID, accessLocation GeneralName }
  '1.3.6.1.5.5.7.1.1': (o, t) => {
    for (const ad of childrenCount(
      o,
      expectTag(t, TAG.SEQUENCE, 'authorityInfoAccess'),
      1,
      many,
      'authorityInfoAccess',
    )) {
      const [method, location] = childrenCount(
        o,
        expectTag(ad, TAG.SEQUENCE, 'AccessDescription'),
        2,
        2,
        'AccessDescription',
      );
      expectTag(method, TAG.OID, 'accessMethod');
      checkGeneralName(o, location);
    }
  },
};

function readKeyUsage(octets: Uint8Array): ReadonlySet<KeyUsage> {
  const { bits } = readBitString(octets, readDer(octets), 'keyUsage');
  const out = new Set<KeyUsage>();
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bits[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) out.add(name);
  });
  return out;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }. */
function checkBasicConstraints(octets: Uint8Array): void {
  const parts = childrenCount(
    octets,
    expectTag(readDer(octets), TAG.SEQUENCE, 'basicConstraints'),
    0,
    2,
    'basicConstraints',
  );
  let i = 0;
  if (parts[i]?.tag === TAG.BOOLEAN) {
    // DER leaves out a value equal to its DEFAULT.
    if (!readBoolean(octets, parts[i], 'cA')) throw new DerError('basicConstraints: cA FALSE written out');
    i++;
  }
  if (parts[i]) {
    if (readInteger(octets, parts[i], 'pathLenConstraint')[0]! >= 0x80)
      throw new DerError('pathLenConstraint: negative');
    i++;
  }
  if (i !== parts.length) throw new DerError('basicConstraints: unexpected element');
}

/**
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
 * extnValue OCTET STRING }. Each extnValue holds exactly one DER value; an OID appears once; a
 * critical extension this system does not recognise refuses the certificate.
 */
function readExtensions(der: Uint8Array, wrapper: Tlv | undefined): { keyUsage?: ReadonlySet<KeyUsage> } {
  if (!wrapper) return {};
  const [list] = childrenCount(der, wrapper, 1, 1, 'extensions');
  const exts = childrenCount(
    der,
    expectTag(list, TAG.SEQUENCE, 'extensions'),
    1,
    Number.POSITIVE_INFINITY,
    'extensions',
  );
  const seen = new Set<string>();
  const out: { keyUsage?: ReadonlySet<KeyUsage> } = {};
  for (const ext of exts) {
    const parts = childrenCount(der, expectTag(ext, TAG.SEQUENCE, 'extension'), 2, 3, 'extension');
    const id = decodeOid(value(der, expectTag(parts[0], TAG.OID, 'extnID')));
    if (seen.has(id)) throw new DerError(`extension ${id} appears twice`);
    seen.add(id);
    let critical = false;
    if (parts.length === 3) {
      critical = readBoolean(der, parts[1], `extension ${id} critical`);
      if (!critical) throw new DerError(`extension ${id}: critical FALSE written out`);
    }
    const octets = value(der, expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue'));
    const inner = readDer(octets);
    checkDer(octets, inner);
    EXTENSION_SCHEMAS[id]?.(octets, inner);
    if (critical && !KNOWN_CRITICAL.has(id)) throw new DerError(`unknown critical extension ${id}`);
    if (id === KEY_USAGE) out.keyUsage = readKeyUsage(octets);
    if (id === BASIC_CONSTRAINTS) checkBasicConstraints(octets);
  }
  return out;
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/**
 * The RSA key of a SubjectPublicKeyInfo. Imported as a JWK: OpenSSL 3's DER decoders take
 * ~270 µs per key, a JWK ~10 µs (measured here), and a registration parses two.
 */
function readRsaKey(der: Uint8Array, spki: Tlv): { key: KeyObject; modulusBits: number; exponent: number } {
  const [alg, bits] = childrenCount(der, spki, 2, 2, 'subjectPublicKeyInfo');
  const { oid, params } = readAlgorithm(der, alg, 'subjectPublicKeyInfo algorithm');
  if (oid !== RSA_ENCRYPTION) throw new DerError('not an RSA key');
  if (!isNull(params)) throw new DerError('rsaEncryption parameters must be NULL');
  const bitString = readBitString(der, bits, 'subjectPublicKey');
  if (bitString.unusedBits !== 0) throw new DerError('subjectPublicKey: unused bits');
  const rsa = bitString.bits;
  const rsaKey = expectTag(readDer(rsa), TAG.SEQUENCE, 'RSAPublicKey');
  checkDer(rsa, rsaKey);
  const [nTlv, eTlv] = childrenCount(rsa, rsaKey, 2, 2, 'RSAPublicKey');
  const n = readPositiveInteger(rsa, nTlv, 'modulus');
  const e = readPositiveInteger(rsa, eTlv, 'exponent');
  if (e.length > 4) throw new DerError('exponent too large');
  const exponent = e.reduce((acc, b) => acc * 256 + b, 0);
  const modulusBits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
  } catch {
    // Callers rely on DerError alone for "not a certificate".
    throw new DerError('RSA public key not accepted by node:crypto');
  }
  return { key, modulusBits, exponent };
}

/**
 * Throws DerError on anything that is not exactly one DER-encoded X.509 v3 certificate:
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } and nothing
 * more, the outer signatureAlgorithm byte for byte the TBS signature field (RFC 5280 §4.1.1.2),
 * no trailing bytes.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = expectTag(readDer(der), TAG.SEQUENCE, 'certificate');
  checkDer(der, cert);
  const [tbsTlv, algorithm, signatureTlv] = childrenCount(der, cert, 3, 3, 'certificate');
  const tbs = expectTag(tbsTlv, TAG.SEQUENCE, 'tbsCertificate');
  const fields = children(der, tbs);
  const [versionTlv, serialTlv, tbsAlgorithm, issuer, validity, subject, spki, ...rest] = fields;
  const version = childrenCount(
    der,
    expectTag(versionTlv, 0xa0, 'version (not a v3 certificate)'),
    1,
    1,
    'version',
  );
  const v = readInteger(der, version[0], 'version');
  if (v.length !== 1 || v[0] !== 2) throw new DerError('not a v3 certificate');
  const serial = readPositiveInteger(der, serialTlv, 'serial');
  if (serial.length > 20) throw new DerError('serial longer than 20 octets');
  const sigAlg = readAlgorithm(der, algorithm, 'signatureAlgorithm');
  readAlgorithm(der, tbsAlgorithm, 'signature');
  if (Buffer.compare(encoding(der, algorithm!), encoding(der, tbsAlgorithm!)) !== 0)
    throw new DerError('signatureAlgorithm differs from the signature field of tbsCertificate');
  if (RSA_SIGNATURES.has(sigAlg.oid) && !isNull(sigAlg.params))
    throw new DerError('RSA signature algorithm parameters must be NULL');
  const sig = readBitString(der, signatureTlv, 'signature');
  if (sig.unusedBits !== 0) throw new DerError('signature: unused bits');
  const issuerTlv = checkName(der, issuer, 'issuer');
  const [notBefore, notAfter] = childrenCount(
    der,
    expectTag(validity, TAG.SEQUENCE, 'validity'),
    2,
    2,
    'validity',
  );
  const subjectTlv = checkName(der, subject, 'subject');
  const spkiTlv = expectTag(spki, TAG.SEQUENCE, 'subjectPublicKeyInfo');
  // issuerUniqueID [1] and subjectUniqueID [2] are not written by conforming CAs (RFC 5280
  // §4.1.2.8); only the extensions [3] may follow the key.
  if (rest.length > 1 || (rest[0] && rest[0].tag !== 0xa3))
    throw new DerError('unexpected fields after subjectPublicKeyInfo');
  const { keyUsage } = readExtensions(der, rest[0]);
  const rsa = readRsaKey(der, spkiTlv);
  const tbsBytes = encoding(der, tbs);
  return {
    der,
    tbs: tbsBytes,
    signature: sig.bits,
    signatureAlgorithm: sigAlg.oid,
    issuer: encoding(der, issuerTlv),
    subject: encoding(der, subjectTlv),
    publicKey: rsa.key,
    modulusBits: rsa.modulusBits,
    exponent: rsa.exponent,
    keyUsage,
    notBefore: readValidityTime(der, notBefore),
    notAfter: readValidityTime(der, notAfter),
    serial: normalizeSerial(Buffer.from(serial).toString('hex')),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    tbsSha256: createHash('sha256').update(tbsBytes).digest('hex'),
  };
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 (one encoding per date). */
function readValidityTime(der: Uint8Array, t: Tlv | undefined): Date {
  const d = readTime(der, t, 'validity');
  if ((t!.tag === TAG.UTC_TIME) !== d.getUTCFullYear() < 2050)
    throw new DerError('validity: UTCTime before 2050, GeneralizedTime from 2050');
  return d;
}

/** For trust anchors (read once): whether the certificate says CA:TRUE. */
export function isCaCertificate(der: Uint8Array): boolean {
  return new X509Certificate(der).ca;
}
