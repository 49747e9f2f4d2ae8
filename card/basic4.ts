// The basic four information (基本4情報) in the sign certificate's subjectAltName (spec §8.3),
// and the STEP1 pre-fill rules built on it (spec §8.4). Hostile certificates produce a
// Basic4Error with a code, never an unexpected exception.
import { children, DerError, decodeOid, expectTag, readTlv, TAG, type Tlv, value } from './der.ts';

export const BASIC4_ARC = '1.2.392.200149.8.5.5';
const SUBJECT_ALT_NAME = '2.5.29.17';

const FIELD_BY_ARC = {
  1: 'name',
  2: 'nameSubstitutes',
  3: 'sex',
  4: 'dateOfBirth',
  5: 'address',
  6: 'addressSubstitutes',
} as const;

type Field = (typeof FIELD_BY_ARC)[keyof typeof FIELD_BY_ARC];

export interface Basic4Info {
  /** Full-width text; family and given name separated by U+3000. */
  name: string;
  /** One 0/1 per character of the name; 1 = substitute character (代替文字). */
  nameSubstitutes: string;
  /** 1 male, 2 female, 3 unknown; other values are passed through. */
  sex: '1' | '2' | '3' | (string & {});
  /** Raw EYYYYMMDD: era digit + Gregorian date. */
  dateOfBirth: string;
  address: string;
  addressSubstitutes: string;
}

export type Basic4ErrorCode =
  | 'not_a_certificate'
  | 'no_subject_alt_name'
  | 'malformed_subject_alt_name'
  | 'missing_field'
  | 'duplicate_field'
  | 'bad_field_value';

export class Basic4Error extends Error {
  override name = 'Basic4Error';
  constructor(
    readonly code: Basic4ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Finds the extnValue of an extension in a certificate, or undefined. */
function findExtension(der: Uint8Array, oid: string): Uint8Array | undefined {
  let tbs: Tlv;
  let tbsChildren: Tlv[];
  try {
    const cert = expectTag(readTlv(der), TAG.SEQUENCE, 'certificate');
    if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate');
    tbs = expectTag(children(der, cert)[0], TAG.SEQUENCE, 'tbsCertificate');
    tbsChildren = children(der, tbs);
  } catch (e) {
    throw new Basic4Error('not_a_certificate', `not a DER certificate: ${(e as Error).message}`);
  }
  const extsWrapper = tbsChildren.find((t) => t.tag === 0xa3);
  if (!extsWrapper) return undefined;
  try {
    const exts = expectTag(children(der, extsWrapper)[0], TAG.SEQUENCE, 'extensions');
    for (const ext of children(der, exts)) {
      const parts = children(der, expectTag(ext, TAG.SEQUENCE, 'extension'));
      const id = decodeOid(value(der, expectTag(parts[0], TAG.OID, 'extnID')));
      if (id !== oid) continue;
      return value(der, expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue'));
    }
  } catch (e) {
    throw new Basic4Error('not_a_certificate', `malformed extensions: ${(e as Error).message}`);
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the six otherName entries under 1.2.392.200149.8.5.5 (UTF8String or OCTET STRING). */
export function parseBasic4(certificateDer: Uint8Array): Basic4Info {
  const san = findExtension(certificateDer, SUBJECT_ALT_NAME);
  if (!san)
    throw new Basic4Error(
      'no_subject_alt_name',
      'the certificate has no subjectAltName (not a sign certificate?)',
    );
  const found: Partial<Record<Field, string>> = {};
  try {
    const names = expectTag(readTlv(san), TAG.SEQUENCE, 'GeneralNames');
    if (names.end !== san.length) throw new DerError('trailing bytes after GeneralNames');
    for (const gn of children(san, names)) {
      if (gn.tag !== 0xa0) continue; // not an otherName
      const [typeId, wrapped] = children(san, gn);
      const oid = decodeOid(value(san, expectTag(typeId, TAG.OID, 'otherName type-id')));
      if (!oid.startsWith(`${BASIC4_ARC}.`)) continue;
      const arc = Number(oid.slice(BASIC4_ARC.length + 1));
      const field = FIELD_BY_ARC[arc as keyof typeof FIELD_BY_ARC];
      if (!field) continue;
      const inner = children(san, expectTag(wrapped, 0xa0, `otherName ${oid} value`))[0];
      if (!inner || (inner.tag !== TAG.UTF8_STRING && inner.tag !== TAG.OCTET_STRING)) {
        throw new Basic4Error('bad_field_value', `${field}: expected UTF8String or OCTET STRING`);
      }
      if (found[field] !== undefined) throw new Basic4Error('duplicate_field', `${field} appears twice`);
      try {
        found[field] = utf8.decode(value(san, inner));
      } catch {
        throw new Basic4Error('bad_field_value', `${field}: not valid UTF-8`);
      }
    }
  } catch (e) {
    if (e instanceof Basic4Error) throw e;
    throw new Basic4Error('malformed_subject_alt_name', `malformed subjectAltName: ${(e as Error).message}`);
  }
  for (const field of Object.values(FIELD_BY_ARC)) {
    if (found[field] === undefined)
      throw new Basic4Error('missing_field', `${field} (basic four information) is missing`);
  }
  return found as Basic4Info;
}

// ---- STEP1 pre-fill (spec §8.4) ----

export interface Basic4Prefill {
  userName?: string;
  sex?: 'male' | 'female';
  /** YYYY-MM-DD */
  dateOfBirth?: string;
}

const USER_NAME = /^[A-Z]+( [A-Z]+)*$/;
export const USER_NAME_MAX = 104;

/** The manual's user name (1-byte upper-case words), or undefined when the name cannot be one. */
export function prefillUserName(name: string, substitutes: string): string | undefined {
  if (substitutes.includes('1')) return undefined;
  const folded = name
    .normalize('NFKC')
    .replace(/[\u3000 ]+/g, ' ')
    .trim()
    .toUpperCase();
  return folded.length <= USER_NAME_MAX && USER_NAME.test(folded) ? folded : undefined;
}

/** EYYYYMMDD → YYYY-MM-DD when the era is known and the date exists. */
export function prefillDateOfBirth(raw: string): string | undefined {
  const m = /^([0-9])([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(raw);
  if (!m) return undefined;
  const [, era, y, mo, d] = m as unknown as [string, string, string, string, string];
  if (era === '0') return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900+; setUTCFullYear keeps the year as given.
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${y}-${mo}-${d}`;
}

export function prefillFromBasic4(info: Basic4Info): Basic4Prefill {
  const out: Basic4Prefill = {};
  const userName = prefillUserName(info.name, info.nameSubstitutes);
  if (userName !== undefined) out.userName = userName;
  if (info.sex === '1') out.sex = 'male';
  else if (info.sex === '2') out.sex = 'female';
  const dob = prefillDateOfBirth(info.dateOfBirth);
  if (dob !== undefined) out.dateOfBirth = dob;
  return out;
}

// ---- issuing side: Gregorian date → EYYYYMMDD ----

/** Era start dates (Gregorian), newest first: 5 Reiwa, 4 Heisei, 3 Shōwa, 2 Taishō, 1 Meiji. */
const ERAS: readonly [string, string][] = [
  ['5', '2019-05-01'],
  ['4', '1989-01-08'],
  ['3', '1926-12-25'],
  ['2', '1912-07-30'],
  ['1', '1868-10-23'],
];

/** YYYY-MM-DD → EYYYYMMDD with the era digit of that date (0 before Meiji). */
export function toJpkiDateOfBirth(isoDate: string): string {
  if (
    !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(isoDate) ||
    prefillDateOfBirth(`9${isoDate.replaceAll('-', '')}`) === undefined
  ) {
    throw new RangeError(`not a calendar date: ${isoDate}`);
  }
  const era = ERAS.find(([, start]) => isoDate >= start)?.[0] ?? '0';
  return `${era}${isoDate.replaceAll('-', '')}`;
}
