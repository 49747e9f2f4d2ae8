// A minimal, strict DER reader and writer: enough for certificate lengths on the card,
// the subjectAltName of the sign certificate, the portal's certificate reader, and building the
// demo PKI's own extensions. Every read is bounds-checked and throws DerError, so hostile input
// cannot crash callers. "Strict" means DER (X.690 §10), not BER: one encoding per value, so two
// different byte strings never read as the same structure (docs/decisions/0601-card-identity.md).

export class DerError extends Error {
  override name = 'DerError';
}

export interface Tlv {
  /** Identifier octet (single-byte tags only; JPKI structures use no high tag numbers). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  valueStart: number;
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export const isConstructed = (tag: number): boolean => (tag & 0x20) !== 0;

/**
 * Reads a DER header: definite length in the fewest octets (no `81 05` for `05`, no leading
 * zero octets). Returns undefined when `bytes` ends before the header does, so a caller
 * reading in chunks (card/jpki.ts) can ask for more.
 */
export function readHeader(
  bytes: Uint8Array,
  offset = 0,
  limit = bytes.length,
): { tag: number; headerLength: number; length: number } | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  if (tag === 0) throw new DerError('end-of-contents octets are not DER');
  const first = bytes[offset + 1]!;
  if (first < 0x80) return { tag, headerLength: 2, length: first };
  const count = first & 0x7f;
  if (count === 0) throw new DerError('indefinite length is not allowed');
  if (count > 3) throw new DerError(`length field of ${count} bytes is too large`);
  if (offset + 2 + count > limit) return undefined;
  if (bytes[offset + 2] === 0) throw new DerError('length with leading zero octets is not DER');
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
  if (length < 0x80) throw new DerError('long-form length below 128 is not DER');
  return { tag, headerLength: 2 + count, length };
}

export function readTlv(bytes: Uint8Array, offset = 0, limit = bytes.length): Tlv {
  const h = readHeader(bytes, offset, limit);
  if (!h) throw new DerError(`truncated header at offset ${offset}`);
  const valueStart = offset + h.headerLength;
  const end = valueStart + h.length;
  if (end > limit) throw new DerError(`value at offset ${offset} runs past its container`);
  return { tag: h.tag, start: offset, valueStart, end };
}

/** Exactly one TLV that spans all of `bytes` (no trailing bytes). */
export function readDer(bytes: Uint8Array): Tlv {
  const t = readTlv(bytes);
  if (t.end !== bytes.length) throw new DerError('trailing bytes after the DER value');
  return t;
}

/** The TLVs directly inside a constructed TLV. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  if (!isConstructed(parent.tag)) throw new DerError(`tag ${parent.tag.toString(16)} is not constructed`);
  const out: Tlv[] = [];
  let p = parent.valueStart;
  while (p < parent.end) {
    const t = readTlv(bytes, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** The children of a constructed TLV, which must number exactly `min`..`max`. */
export function childrenCount(bytes: Uint8Array, parent: Tlv, min: number, max: number, what: string): Tlv[] {
  const out = children(bytes, parent);
  if (out.length < min || out.length > max)
    throw new DerError(`${what}: ${out.length} elements, expected ${min === max ? min : `${min}–${max}`}`);
  return out;
}

export function value(bytes: Uint8Array, t: Tlv): Uint8Array {
  return bytes.subarray(t.valueStart, t.end);
}

/** The whole encoding of a TLV (header and value). */
export function encoding(bytes: Uint8Array, t: Tlv): Uint8Array {
  return bytes.subarray(t.start, t.end);
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`${what}: missing`);
  if (t.tag !== tag)
    throw new DerError(`${what}: expected tag ${tag.toString(16)}, got ${t.tag.toString(16)}`);
  return t;
}

export function decodeOid(v: Uint8Array): string {
  if (v.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let n = 0;
  let start = true;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    // A sub-identifier in the fewest octets: it never starts with 0x80.
    if (start && b === 0x80) throw new DerError('OID sub-identifier with a leading 0x80 octet');
    start = false;
    n = n * 128 + (b & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if (!(b & 0x80)) {
      if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
      start = true;
    } else if (i === v.length - 1) throw new DerError('truncated OID');
  }
  return arcs.join('.');
}

/** INTEGER contents in the fewest octets (two's complement); returned as they are. */
export function readInteger(bytes: Uint8Array, t: Tlv | undefined, what: string): Uint8Array {
  const v = value(bytes, expectTag(t, TAG.INTEGER, what));
  if (v.length === 0) throw new DerError(`${what}: empty INTEGER`);
  if (v.length > 1 && ((v[0] === 0 && v[1]! < 0x80) || (v[0] === 0xff && v[1]! >= 0x80)))
    throw new DerError(`${what}: INTEGER not in its shortest form`);
  return v;
}

/** A positive INTEGER's magnitude (the sign octet dropped); zero and negatives are refused. */
export function readPositiveInteger(bytes: Uint8Array, t: Tlv | undefined, what: string): Uint8Array {
  const v = readInteger(bytes, t, what);
  if (v[0]! >= 0x80) throw new DerError(`${what}: negative`);
  const magnitude = v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
  if (magnitude.length === 1 && magnitude[0] === 0) throw new DerError(`${what}: zero`);
  return magnitude;
}

/** BIT STRING: unused-bit count 0–7 (0 when empty) and those unused bits zero, as DER requires. */
export function readBitString(
  bytes: Uint8Array,
  t: Tlv | undefined,
  what: string,
): { unusedBits: number; bits: Uint8Array } {
  const v = value(bytes, expectTag(t, TAG.BIT_STRING, what));
  if (v.length === 0) throw new DerError(`${what}: BIT STRING without its unused-bits octet`);
  const unusedBits = v[0]!;
  if (unusedBits > 7 || (v.length === 1 && unusedBits !== 0))
    throw new DerError(`${what}: bad unused-bits count ${unusedBits}`);
  if (unusedBits && v[v.length - 1]! & ((1 << unusedBits) - 1))
    throw new DerError(`${what}: unused bits are not zero`);
  return { unusedBits, bits: v.subarray(1) };
}

/** BOOLEAN: one octet, 00 or FF. */
export function readBoolean(bytes: Uint8Array, t: Tlv | undefined, what: string): boolean {
  const v = value(bytes, expectTag(t, TAG.BOOLEAN, what));
  if (v.length !== 1 || (v[0] !== 0 && v[0] !== 0xff)) throw new DerError(`${what}: BOOLEAN not 00 or FF`);
  return v[0] === 0xff;
}

/** PrintableString's alphabet (X.680 §41.4), indexed by octet. */
const PRINTABLE = Array.from({ length: 256 }, (_, b) =>
  /[A-Za-z0-9 '()+,\-./:=?]/.test(String.fromCharCode(b)),
);
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const MAX_DEPTH = 32;

/**
 * Checks a whole TLV tree against the DER rules this reader can judge without a schema: every
 * length (readTlv), constructed contents filled exactly by their children, no constructed form
 * of a string type, the universal primitive types well formed, and SET elements in ascending
 * order of their encodings (X.690 §11.6). Context-specific primitives are left to the caller.
 */
export function checkDer(bytes: Uint8Array, t: Tlv, depth = 0): void {
  if (depth > MAX_DEPTH) throw new DerError('nested too deeply');
  const universal = (t.tag & 0xc0) === 0;
  if (isConstructed(t.tag)) {
    if (universal && t.tag !== TAG.SEQUENCE && t.tag !== TAG.SET)
      throw new DerError(`constructed encoding of universal type ${t.tag & 0x1f} is not DER`);
    const kids = children(bytes, t);
    for (const k of kids) checkDer(bytes, k, depth + 1);
    if (t.tag === TAG.SET) {
      for (let i = 1; i < kids.length; i++) {
        if (Buffer.compare(encoding(bytes, kids[i - 1]!), encoding(bytes, kids[i]!)) > 0)
          throw new DerError('SET elements not in DER order');
      }
    }
    return;
  }
  if (!universal) return;
  const v = value(bytes, t);
  switch (t.tag) {
    case TAG.BOOLEAN:
      readBoolean(bytes, t, 'BOOLEAN');
      return;
    case TAG.INTEGER:
      readInteger(bytes, t, 'INTEGER');
      return;
    case TAG.BIT_STRING:
      readBitString(bytes, t, 'BIT STRING');
      return;
    case TAG.NULL:
      if (v.length !== 0) throw new DerError('NULL with contents');
      return;
    case TAG.OID:
      // The rules of decodeOid without building the dotted string (this runs for every OID).
      if (v.length === 0 || v[v.length - 1]! & 0x80) throw new DerError('empty or truncated OID');
      for (let i = 0; i < v.length; i++) {
        if (v[i] === 0x80 && (i === 0 || !(v[i - 1]! & 0x80)))
          throw new DerError('OID sub-identifier with a leading 0x80 octet');
      }
      return;
    case TAG.UTF8_STRING:
      try {
        utf8Decoder.decode(v);
      } catch {
        throw new DerError('UTF8String is not UTF-8');
      }
      return;
    case TAG.PRINTABLE_STRING:
      for (const b of v) {
        if (!PRINTABLE[b]) throw new DerError('PrintableString with characters outside its set');
      }
      return;
    case TAG.IA5_STRING:
      if (v.some((b) => b > 0x7f)) throw new DerError('IA5String with non-ASCII octets');
      return;
    case 0x12: // NumericString
      if (v.some((b) => b !== 0x20 && (b < 0x30 || b > 0x39)))
        throw new DerError('NumericString with non-digits');
      return;
    case 0x1c: // UniversalString: UCS-4
      if (v.length % 4) throw new DerError('UniversalString of a length not a multiple of 4');
      return;
    case 0x1e: // BMPString: UCS-2
      if (v.length % 2) throw new DerError('BMPString of odd length');
      return;
    case TAG.UTC_TIME:
    case TAG.GENERALIZED_TIME:
      readTime(bytes, t, 'time');
      return;
  }
}

/**
 * UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ: seconds present, UTC, no fraction
 * (DER, X.690 §11.7–11.8), and a date that exists (2023-02-30 is refused, not rolled over).
 */
export function readTime(bytes: Uint8Array, t: Tlv | undefined, what: string): Date {
  if (!t || (t.tag !== TAG.UTC_TIME && t.tag !== TAG.GENERALIZED_TIME))
    throw new DerError(`${what}: expected a time`);
  const s = Buffer.from(value(bytes, t)).toString('latin1');
  const m =
    t.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new DerError(`${what}: bad time`);
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC would roll 02-30 over to March, and treat years 0–99 as 1900–1999.
  d.setUTCFullYear(year);
  if (
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day ||
    d.getUTCHours() !== hour ||
    d.getUTCMinutes() !== minute ||
    d.getUTCSeconds() !== second
  )
    throw new DerError(`${what}: no such date`);
  return d;
}

// ---- writer ----

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const len = parts.reduce((s, p) => s + p.length, 0);
  const head = [tag, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let off = head.length;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function encodeOid(dotted: string): Uint8Array<ArrayBuffer> {
  const arcs = dotted.split('.').map((a) => Number(a));
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0))
    throw new DerError(`bad OID ${dotted}`);
  const out: number[] = [];
  const push = (n: number) => {
    const bytes = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, Uint8Array.from(out));
}

export const utf8 = (s: string): Uint8Array<ArrayBuffer> => tlv(TAG.UTF8_STRING, new TextEncoder().encode(s));
export const printable = (s: string): Uint8Array<ArrayBuffer> =>
  tlv(TAG.PRINTABLE_STRING, new TextEncoder().encode(s));
export const seq = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(TAG.SEQUENCE, ...parts);
export const set = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(TAG.SET, ...parts);
/** Context-specific constructed tag [n]. */
export const ctx = (n: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(0xa0 | n, ...parts);
