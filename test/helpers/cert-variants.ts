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

// ---- a small tree form, for edits inside the certificate (differential test) ----

export interface Node {
  tag: number;
  /** Primitive contents; undefined for a constructed node. */
  content?: Uint8Array;
  kids?: Node[];
  /** Length octets to write instead of the minimal ones. */
  lengthBytes?: number[];
}

/** Decodes definite-length BER into a tree (constructed tags by their constructed bit). */
export function decodeTree(b: Uint8Array, at = 0): Node {
  const tag = b[at]!;
  const h = header(b, at);
  const content = b.subarray(at + h.headerLength, at + h.headerLength + h.length);
  if (!(tag & 0x20)) return { tag, content: new Uint8Array(content) };
  const kids: Node[] = [];
  let p = 0;
  while (p < content.length) {
    const c = header(content, p);
    kids.push(decodeTree(content, p));
    p += c.headerLength + c.length;
  }
  return { tag, kids };
}

export function encodeTree(n: Node): Uint8Array {
  const content = n.kids ? concat(...n.kids.map(encodeTree)) : n.content!;
  return tlv(n.tag, content, n.lengthBytes);
}

/** A certificate edited through its tree: `edit` changes a copy in place. */
export function editCertificate(der: Uint8Array, edit: (cert: Node, tbs: Node) => void): Uint8Array {
  const cert = decodeTree(der);
  edit(cert, cert.kids![0]!);
  return encodeTree(cert);
}

/** The Extension nodes of a tree's TBS ([3] → SEQUENCE OF Extension). */
export const extensionsOf = (tbs: Node): Node[] => tbs.kids!.find((k) => k.tag === 0xa3)!.kids![0]!.kids!;

export const oidBytes = (n: Node): string => Buffer.from(n.content!).toString('hex');

const KEY_USAGE_OID = '0603551d0f';
const findExt = (tbs: Node, oidHex: string) =>
  extensionsOf(tbs).find((e) => Buffer.from(encodeTree(e.kids![0]!)).toString('hex') === oidHex)!;
const prim = (tag: number, bytes: number[] | Uint8Array): Node => ({ tag, content: Uint8Array.from(bytes) });
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];
/** An RDN SET { SEQUENCE { OID 2.5.4.x, PrintableString } }. */
const ava = (attr: number, text: string): Node => ({
  tag: 0x30,
  kids: [prim(0x06, [0x55, 0x04, attr]), prim(0x13, ascii(text))],
});

/**
 * Edits inside the TBSCertificate that DER or RFC 5280 forbid (they break the CA's signature,
 * but node:crypto and @peculiar/x509 parse without verifying, so their decisions can be
 * compared with ours), plus a few that are allowed.
 */
export function innerVariants(der: Uint8Array): Record<string, Uint8Array> {
  const v = (edit: (cert: Node, tbs: Node) => void) => editCertificate(der, edit);
  const time = (tbs: Node, i: 0 | 1) => tbs.kids![4]!.kids![i]!;
  return {
    'non-minimal length of the issuer': v((_, tbs) => {
      const issuer = tbs.kids![3]!;
      issuer.lengthBytes = paddedLength(
        issuer.kids!.reduce((n, k) => n + encodeTree(k).length, 0),
        1,
      );
    }),
    'serial with a superfluous leading zero': v((_, tbs) => {
      const s = tbs.kids![1]!;
      s.content = Uint8Array.from([0, ...(s.content![0]! >= 0x80 ? [0] : []), ...s.content!]);
    }),
    'negative serial': v((_, tbs) => {
      const s = tbs.kids![1]!;
      s.content = Uint8Array.from([0xff, ...s.content!.subarray(s.content![0] === 0 ? 1 : 0)]);
      s.content[1]! |= 0x80;
    }),
    'zero serial': v((_, tbs) => {
      tbs.kids![1]!.content = Uint8Array.from([0]);
    }),
    'serial of 21 octets': v((_, tbs) => {
      tbs.kids![1]!.content = Uint8Array.from([0x01, ...new Array<number>(20).fill(0x11)]);
    }),
    'version 1 written out': v((_, tbs) => {
      tbs.kids![0]!.kids![0]!.content = Uint8Array.from([0]);
    }),
    'keyUsage with a set unused bit': v((_, tbs) => {
      const ext = findExt(tbs, KEY_USAGE_OID);
      const octets = ext.kids![ext.kids!.length - 1]!;
      const bits = decodeTree(octets.content!);
      bits.content = Uint8Array.from([7, bits.content![1]! | 0x01]);
      octets.content = encodeTree(bits);
    }),
    'critical BOOLEAN encoded as 01': v((_, tbs) => {
      findExt(tbs, KEY_USAGE_OID).kids![1]!.content = Uint8Array.from([0x01]);
    }),
    'critical FALSE written out': v((_, tbs) => {
      const ext = extensionsOf(tbs).find((e) => e.kids!.length === 2)!;
      ext.kids!.splice(1, 0, prim(0x01, [0x00]));
    }),
    'unknown critical extension': v((_, tbs) => {
      extensionsOf(tbs).push({
        tag: 0x30,
        kids: [prim(0x06, [0x2a, 0x03, 0x04]), prim(0x01, [0xff]), prim(0x04, [0x05, 0x00])],
      });
    }),
    'duplicate keyUsage extension': v((_, tbs) => {
      extensionsOf(tbs).push(structuredClone(findExt(tbs, KEY_USAGE_OID)));
    }),
    'empty extensions': v((_, tbs) => {
      tbs.kids!.find((k) => k.tag === 0xa3)!.kids![0]!.kids = [];
    }),
    'trailing byte inside the keyUsage extnValue': v((_, tbs) => {
      const ext = findExt(tbs, KEY_USAGE_OID);
      const octets = ext.kids![ext.kids!.length - 1]!;
      octets.content = Uint8Array.from([...octets.content!, 0x00]);
    }),
    'constructed OCTET STRING extnValue': v((_, tbs) => {
      const ext = findExt(tbs, KEY_USAGE_OID);
      const last = ext.kids!.length - 1;
      ext.kids![last] = { tag: 0x24, kids: [ext.kids![last]!] };
    }),
    'GeneralizedTime before 2050': v((_, tbs) => {
      const t = time(tbs, 0);
      const s = Buffer.from(t.content!).toString('latin1');
      t.tag = 0x18;
      t.content = Uint8Array.from(ascii(`${Number(s.slice(0, 2)) < 50 ? '20' : '19'}${s}`));
    }),
    'UTCTime without seconds': v((_, tbs) => {
      const t = time(tbs, 0);
      const s = Buffer.from(t.content!).toString('latin1');
      t.content = Uint8Array.from(ascii(`${s.slice(0, 10)}Z`));
    }),
    'UTCTime with a zone offset': v((_, tbs) => {
      const t = time(tbs, 0);
      const s = Buffer.from(t.content!).toString('latin1');
      t.content = Uint8Array.from(ascii(`${s.slice(0, 12)}+0900`));
    }),
    'notAfter on February 30th': v((_, tbs) => {
      const t = time(tbs, 1);
      const s = Buffer.from(t.content!).toString('latin1');
      t.content = Uint8Array.from(ascii(`${s.slice(0, 2)}0230${s.slice(6)}`));
    }),
    'rsaEncryption without NULL parameters': v((_, tbs) => {
      tbs.kids![6]!.kids![0]!.kids!.length = 1;
    }),
    'subjectPublicKey BIT STRING with unused bits': v((_, tbs) => {
      const bits = tbs.kids![6]!.kids![1]!;
      bits.content = Uint8Array.from([1, ...bits.content!.subarray(1)]);
    }),
    'RSA modulus with a superfluous leading zero': v((_, tbs) => {
      const bits = tbs.kids![6]!.kids![1]!;
      const key = decodeTree(bits.content!.subarray(1));
      key.kids![0]!.content = Uint8Array.from([0, ...key.kids![0]!.content!]);
      bits.content = Uint8Array.from([0, ...encodeTree(key)]);
    }),
    'issuerUniqueID present': v((_, tbs) => {
      tbs.kids!.splice(7, 0, prim(0x81, [0x00, 0x01]));
    }),
    'RDN SET out of DER order': v((_, tbs) => {
      const subject = tbs.kids![5]!;
      subject.kids!.push({ tag: 0x31, kids: [ava(0x0b, 'Second of two, sorted after'), ava(0x06, 'JP')] });
    }),
    'PrintableString with a character outside its set': v((_, tbs) => {
      const country = tbs.kids![5]!.kids![0]!.kids![0]!.kids![1]!;
      country.content = Uint8Array.from(ascii('J*'));
    }),
    'UTF8String that is not UTF-8': v((_, tbs) => {
      tbs.kids![5]!.kids!.push({
        tag: 0x31,
        kids: [{ tag: 0x30, kids: [prim(0x06, [0x55, 0x04, 0x0a]), prim(0x0c, [0xc3, 0x28])] }],
      });
    }),
    'TBS signature algorithm differs from the outer one': v((_, tbs) => {
      // sha384WithRSAEncryption in the TBS, sha256WithRSAEncryption outside.
      tbs.kids![2]!.kids![0]!.content = Uint8Array.from([
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c,
      ]);
    }),
    'both algorithm identifiers without NULL parameters': v((cert, tbs) => {
      tbs.kids![2]!.kids!.length = 1;
      cert.kids![1]!.kids!.length = 1;
    }),
    // Allowed: must parse everywhere, with the same fields.
    'unknown non-critical extension (allowed)': v((_, tbs) => {
      extensionsOf(tbs).push({ tag: 0x30, kids: [prim(0x06, [0x2a, 0x03, 0x04]), prim(0x04, [0x05, 0x00])] });
    }),
    'another signature value (allowed: parsing does not verify)': v((cert) => {
      const sig = cert.kids![2]!;
      sig.content = Uint8Array.from(sig.content!);
      sig.content[sig.content.length - 1]! ^= 0x01;
    }),
  };
}
