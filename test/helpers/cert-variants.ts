// Re-encodings of a certificate's unsigned outer layer, for the card-identity tests. The split
// is done by a small lenient BER reader of its own, so the tests do not lean on card/der.ts,
// the code under test. None of these changes touches the TBSCertificate, so the CA's signature
// (and the card's signature over the token message) stay valid: before the fix, each variant
// was a "new" card to the portal.

export interface Outer {
  /** Complete TLVs, exactly as in the certificate. */
  tbs: Uint8Array;
  algorithm: Uint8Array;
  signature: Uint8Array;
}

function header(b: Uint8Array, at: number): { headerLength: number; length: number } {
  const first = b[at + 1]!;
  if (first < 0x80) return { headerLength: 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + b[at + 2 + i]!;
  return { headerLength: 2 + count, length };
}

/** The complete TLVs directly inside the TLV at `at`. */
export function elements(b: Uint8Array, at = 0): Uint8Array[] {
  const h = header(b, at);
  const out: Uint8Array[] = [];
  let p = at + h.headerLength;
  const end = p + h.length;
  while (p < end) {
    const c = header(b, p);
    out.push(b.subarray(p, p + c.headerLength + c.length));
    p += c.headerLength + c.length;
  }
  return out;
}

export function splitCertificate(der: Uint8Array): Outer {
  const [tbs, algorithm, signature] = elements(der);
  return { tbs: tbs!, algorithm: algorithm!, signature: signature! };
}

/** Minimal definite length octets. */
export function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(
  tag: number,
  content: Uint8Array,
  lengthBytes = lengthOctets(content.length),
): Uint8Array {
  return Uint8Array.from([tag, ...lengthBytes, ...content]);
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** `n` as a long-form length with `pad` extra leading zero octets (not DER when pad > 0 or n < 128). */
export function paddedLength(n: number, pad: number): number[] {
  const minimal = lengthOctets(n);
  const digits = n < 0x80 ? [n] : minimal.slice(1);
  return [0x80 | (digits.length + pad), ...Array<number>(pad).fill(0), ...digits];
}

/** Rebuilds the outer SEQUENCE from parts (with the given length octets, minimal by default). */
export function outer(parts: Uint8Array[], lengthBytes?: number[]): Uint8Array {
  const content = concat(...parts);
  return tlv(0x30, content, lengthBytes ?? lengthOctets(content.length));
}

/** The three re-encodings the issue names, plus a few more of the same kind. */
export function outerVariants(der: Uint8Array): Record<string, Uint8Array> {
  const { tbs, algorithm, signature } = splitCertificate(der);
  const content = concat(tbs, algorithm, signature);
  const [oid] = elements(algorithm);
  const sigContent = signature.subarray(2 + (signature[1]! & 0x80 ? signature[1]! & 0x7f : 0));
  return {
    // 30 82 LL LL → 30 83 00 LL LL
    'non-minimal outer length': tlv(0x30, content, paddedLength(content.length, 1)),
    'extra element after the signature': outer([tbs, algorithm, signature, Uint8Array.from([0x05, 0x00])]),
    'outer AlgorithmIdentifier without its NULL parameters': outer([tbs, tlv(0x30, oid!), signature]),
    'outer AlgorithmIdentifier with other parameters': outer([
      tbs,
      tlv(0x30, concat(oid!, Uint8Array.from([0x04, 0x00]))),
      signature,
    ]),
    'non-minimal length of the signature BIT STRING': outer([
      tbs,
      algorithm,
      tlv(0x03, sigContent, paddedLength(sigContent.length, 1)),
    ]),
    'non-minimal length of the outer AlgorithmIdentifier': outer([
      tbs,
      tlv(0x30, algorithm.subarray(2), paddedLength(algorithm.length - 2, 1)),
      signature,
    ]),
    'indefinite outer length': concat(Uint8Array.from([0x30, 0x80]), content, Uint8Array.from([0, 0])),
    'trailing bytes after the certificate': concat(der, Uint8Array.from([0x00])),
  };
}
