// Certificate contents shaped like the real JPKI profile (spec §8), for the demo hierarchy.
import { ctx, encodeOid, printable, seq, set, tlv, utf8 } from '../der.ts';

export type CertKind = 'sign' | 'auth';

/** O=JPKI-DEMO so production trust anchors can never accept a demo card (spec §7). */
export const DEMO_ORGANISATION = 'JPKI-DEMO';

const OU_PURPOSE: Record<CertKind, string> = {
  sign: 'JPKI for digital signature',
  auth: 'JPKI for user authentication',
};

export function rootSubject(kind: CertKind): string {
  return `C=JP, O=${DEMO_ORGANISATION}, OU=${OU_PURPOSE[kind]}, OU=Japan Agency for Local Authority Information Systems`;
}

/** Basic four information OIDs (spec §8.3). */
export const BASIC4_OID = {
  name: '1.2.392.200149.8.5.5.1',
  nameSubstitutes: '1.2.392.200149.8.5.5.2',
  sex: '1.2.392.200149.8.5.5.3',
  dateOfBirth: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
  addressSubstitutes: '1.2.392.200149.8.5.5.6',
} as const;

export const EXT_OID = {
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  crlDistributionPoints: '2.5.29.31',
  crlNumber: '2.5.29.20',
  issuingDistributionPoint: '2.5.29.28',
} as const;

/** Certificate policy OIDs reported for the two certificate kinds (spec §8.2, [S]/[U]). */
export const POLICY_OID: Record<CertKind, string> = {
  sign: '1.2.392.200149.8.5.1.1.20',
  auth: '1.2.392.200149.8.5.1.3.30',
};

const OID_C = '2.5.4.6';
const OID_O = '2.5.4.10';
const OID_OU = '2.5.4.11';
const OID_CN = '2.5.4.3';

const rdn = (oid: string, value: Uint8Array) => set(seq(encodeOid(oid), value));

/** directoryName C=JP, O=公的個人認証サービス (UTF-8), used in SAN of roots and IAN of leaves. */
function serviceName(): Uint8Array<ArrayBuffer> {
  return seq(rdn(OID_C, printable('JP')), rdn(OID_O, utf8('公的個人認証サービス')));
}

/** GeneralNames with one directoryName ([4] EXPLICIT Name). */
export function serviceGeneralNames(): Uint8Array<ArrayBuffer> {
  return seq(ctx(4, serviceName()));
}

export interface Locality {
  prefecture: string;
  city: string;
}

/** Where the demo cards' holders live: their sign certificates point at this municipality's CRL. */
export const DEMO_LOCALITY: Locality = { prefecture: 'Tokyo-to', city: 'Shinjuku-ku' };

/**
 * The distribution point's name, a directory name only, no URL (spec §8.1, §8.2): the sign
 * hierarchy is partitioned by municipality, the auth hierarchy has one partition. Encoded as
 * DistributionPointName [0] { fullName [0] { directoryName [4] Name } }, the same bytes in the
 * certificate's CRL distribution point and in the CRL's issuing distribution point.
 */
export function distributionPointName(kind: CertKind, municipality?: Locality): Uint8Array<ArrayBuffer> {
  const parts = [
    rdn(OID_C, printable('JP')),
    rdn(OID_O, printable(DEMO_ORGANISATION)),
    rdn(OID_OU, printable(OU_PURPOSE[kind])),
  ];
  if (municipality) {
    parts.push(
      rdn(OID_OU, printable('CRL Distribution Points')),
      rdn(OID_OU, printable(municipality.prefecture)),
      rdn(OID_CN, printable(municipality.city)),
    );
  }
  return ctx(0, ctx(0, ctx(4, seq(...parts))));
}

/** The certificate extension: one DistributionPoint with only its name. */
export function crlDistributionPoints(kind: CertKind, municipality?: Locality): Uint8Array<ArrayBuffer> {
  return seq(seq(distributionPointName(kind, municipality)));
}

/**
 * The CRL extension (critical, RFC 5280 §5.2.5) naming the one partition a CRL covers, with
 * onlyContainsUserCerts [1] TRUE: card certificates only, never the root.
 */
export function issuingDistributionPoint(kind: CertKind, municipality?: Locality): Uint8Array<ArrayBuffer> {
  return seq(distributionPointName(kind, municipality), tlv(0x81, Uint8Array.of(0xff)));
}

/** The partition of the demo PKI's one CRL per kind: the demo municipality for sign. */
export const demoCrlPartition = (kind: CertKind): Locality | undefined =>
  kind === 'sign' ? DEMO_LOCALITY : undefined;

export interface Basic4Input {
  name: string;
  nameSubstitutes: string;
  sex: string;
  dateOfBirth: string;
  address: string;
  addressSubstitutes: string;
}

/** otherName [0] { type-id, [0] EXPLICIT UTF8String } — exactly the wire form of spec §8.3. */
export function otherName(oid: string, text: string): Uint8Array<ArrayBuffer> {
  return ctx(0, encodeOid(oid), ctx(0, utf8(text)));
}

export function basic4SubjectAltName(info: Basic4Input): Uint8Array<ArrayBuffer> {
  return seq(
    otherName(BASIC4_OID.name, info.name),
    otherName(BASIC4_OID.nameSubstitutes, info.nameSubstitutes),
    otherName(BASIC4_OID.sex, info.sex),
    otherName(BASIC4_OID.dateOfBirth, info.dateOfBirth),
    otherName(BASIC4_OID.address, info.address),
    otherName(BASIC4_OID.addressSubstitutes, info.addressSubstitutes),
  );
}

/** A zero string as long as `text` in characters: "no substitute characters used". */
export function noSubstitutes(text: string): string {
  return '0'.repeat([...text].length);
}

export function crlNumber(n: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}
