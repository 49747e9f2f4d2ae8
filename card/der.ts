// A minimal, strict DER reader and writer: enough for certificate lengths on the card,
// the subjectAltName of the sign certificate, and building the demo PKI's own extensions.
// Every read is bounds-checked and throws DerError, so hostile input cannot crash callers.

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
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export const isConstructed = (tag: number): boolean => (tag & 0x20) !== 0;

/**
 * Reads a BER header (definite length only). Returns undefined when `bytes` ends before
 * the header does, so a caller reading in chunks can ask for more.
 */
export function readHeader(
  bytes: Uint8Array,
  offset = 0,
): { tag: number; headerLength: number; length: number } | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  const first = bytes[offset + 1]!;
  if (first < 0x80) return { tag, headerLength: 2, length: first };
  const count = first & 0x7f;
  if (count === 0) throw new DerError('indefinite length is not allowed');
  if (count > 3) throw new DerError(`length field of ${count} bytes is too large`);
  if (offset + 2 + count > bytes.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
  return { tag, headerLength: 2 + count, length };
}

export function readTlv(bytes: Uint8Array, offset = 0, limit = bytes.length): Tlv {
  const h = readHeader(bytes.subarray(0, limit), offset);
  if (!h) throw new DerError(`truncated header at offset ${offset}`);
  const valueStart = offset + h.headerLength;
  const end = valueStart + h.length;
  if (end > limit) throw new DerError(`value at offset ${offset} runs past its container`);
  return { tag: h.tag, start: offset, valueStart, end };
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

export function value(bytes: Uint8Array, t: Tlv): Uint8Array {
  return bytes.subarray(t.valueStart, t.end);
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
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    n = n * 128 + (b & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if (!(b & 0x80)) {
      if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
    } else if (i === v.length - 1) throw new DerError('truncated OID');
  }
  return arcs.join('.');
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
