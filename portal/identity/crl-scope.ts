// Which certificates a CRL speaks for (RFC 5280 §5.2.5, §6.3.3; docs/decisions/0602-crl-scope.md).
// A certificate names where its CRL is (CRL distribution points); a partitioned CRL names the
// partition it covers (issuing distribution point). The sign hierarchy of JPKI is partitioned by
// municipality, so a CRL covers a certificate only when the two names match: the CRL of one
// municipality says nothing about a card of another. Pure functions over DER, no I/O.
import { children, DerError, decodeOid, expectTag, readTlv, TAG, type Tlv, value } from '../../card/der.ts';

const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

/** Where one distribution point of a certificate says its revocation is published. */
export interface DistributionPoint {
  /** Canonical keys of the point's names (see nameKey). */
  names: ReadonlySet<string>;
  /** false when the point lists only some revocation reasons. */
  allReasons: boolean;
}

/** What a CRL's issuing distribution point says it covers. */
export interface CrlScope {
  /** Canonical names of the partition; undefined: no name, the issuer's whole population. */
  names: ReadonlySet<string> | undefined;
  onlyUserCerts: boolean;
  onlyCaCerts: boolean;
  onlyAttributeCerts: boolean;
  /** false with onlySomeReasons: the CRL can prove a revocation, never that there is none. */
  allReasons: boolean;
  indirect: boolean;
}

/** A CRL without the extension: the issuer's complete CRL (RFC 5280 §5.2.5). */
export const COMPLETE_SCOPE: CrlScope = {
  names: undefined,
  onlyUserCerts: false,
  onlyCaCerts: false,
  onlyAttributeCerts: false,
  allReasons: true,
  indirect: false,
};

// ---- names ----

const utf16be = (b: Uint8Array) => {
  if (b.length % 2) throw new DerError('BMPString of odd length');
  return String.fromCharCode(
    ...Array.from({ length: b.length / 2 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!),
  );
};

/**
 * A directory string compared as RFC 5280 §7.1 asks (after RFC 4518 preparation, simplified):
 * any string type, NFKC, case-folded, outer spaces dropped and inner runs of spaces as one.
 */
function attributeValueKey(der: Uint8Array, t: Tlv): string {
  const v = value(der, t);
  let text: string;
  switch (t.tag) {
    case 0x0c: // UTF8String
      text = new TextDecoder('utf-8', { fatal: true }).decode(v);
      break;
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString, read as Latin-1 as most implementations do
      text = Buffer.from(v).toString('latin1');
      break;
    case 0x1e: // BMPString
      text = utf16be(v);
      break;
    default:
      return `#${Buffer.from(der.subarray(t.start, t.end)).toString('hex')}`;
  }
  return text.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** One RDN (a SET of AttributeTypeAndValue) as sorted "oid=value" keys. */
function rdnKey(der: Uint8Array, set: Tlv): string[] {
  return children(der, expectTag(set, TAG.SET, 'RDN'))
    .map((atv) => {
      const [type, v] = children(der, expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = decodeOid(value(der, expectTag(type, TAG.OID, 'attribute type')));
      if (!v) throw new DerError('attribute value: missing');
      return `${oid}=${attributeValueKey(der, v)}`;
    })
    .sort();
}

function rdnsOf(der: Uint8Array, name: Tlv): string[][] {
  return children(der, expectTag(name, TAG.SEQUENCE, 'Name')).map((set) => rdnKey(der, set));
}

const dnKey = (rdns: string[][]) => `dn:${JSON.stringify(rdns)}`;

/** The key of a Name given as DER (a certificate's issuer field). */
export function nameKey(nameDer: Uint8Array): string {
  return dnKey(rdnsOf(nameDer, readTlv(nameDer)));
}

/** directoryName by its canonical DN, URI as written, other forms by their bytes. */
function generalNameKey(der: Uint8Array, t: Tlv): string {
  if (t.tag === 0xa4) {
    const [inner] = children(der, t);
    if (!inner) throw new DerError('directoryName: empty');
    return dnKey(rdnsOf(der, inner));
  }
  if (t.tag === 0x86) return `uri:${Buffer.from(value(der, t)).toString('latin1')}`;
  return `raw:${Buffer.from(der.subarray(t.start, t.end)).toString('hex')}`;
}

/**
 * DistributionPointName [0]: fullName [0] GeneralNames, or nameRelativeToCRLIssuer [1] RDN,
 * which is appended to the CRL issuer's name (`issuer`, DER).
 */
function distributionPointNames(der: Uint8Array, dpName: Tlv, issuer: Uint8Array): Set<string> {
  const [choice] = children(der, dpName);
  if (!choice) throw new DerError('DistributionPointName: empty');
  if (choice.tag === 0xa0) return new Set(children(der, choice).map((g) => generalNameKey(der, g)));
  if (choice.tag === 0xa1) {
    // [1] IMPLICIT SET: read its contents as the RDN they are.
    const relative = rdnKey(der, { ...choice, tag: TAG.SET });
    return new Set([dnKey([...rdnsOf(issuer, readTlv(issuer)), relative])]);
  }
  throw new DerError('DistributionPointName: unknown choice');
}

const isTrue = (der: Uint8Array, t: Tlv) => {
  const v = value(der, t);
  if (v.length !== 1) throw new DerError('BOOLEAN of wrong length');
  return v[0] !== 0;
};

// ---- certificates ----

/**
 * The CRL distribution points of a certificate (`tbs`: its TBSCertificate DER). Points that
 * name a separate CRL issuer (indirect CRLs) are left out: the portal reads only CRLs its
 * trust anchors sign themselves. Without the extension the certificate's issuer is the point
 * (RFC 5280 §6.3.3); with it, only the points it names count, so a CRL whose issuing
 * distribution point is the root's own name does not cover every card.
 */
export function certificateDistributionPoints(
  tbs: Uint8Array,
  issuer: Uint8Array,
): readonly DistributionPoint[] {
  const fields = children(tbs, readTlv(tbs));
  const wrapper = fields.find((t) => t.tag === 0xa3);
  const extensions = wrapper
    ? children(tbs, expectTag(children(tbs, wrapper)[0], TAG.SEQUENCE, 'extensions'))
    : [];
  for (const ext of extensions) {
    const parts = children(tbs, expectTag(ext, TAG.SEQUENCE, 'extension'));
    if (decodeOid(value(tbs, expectTag(parts[0], TAG.OID, 'extnID'))) !== CRL_DISTRIBUTION_POINTS) continue;
    return parsedPoints(
      value(tbs, expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue')),
      issuer,
    );
  }
  return [{ names: new Set([nameKey(issuer)]), allReasons: true }];
}

/**
 * Every card of a municipality carries the same extension bytes, so their parse is kept
 * (about 40 µs a certificate otherwise; at most one entry per partition and issuer).
 */
const pointsCache = new Map<string, readonly DistributionPoint[]>();
const POINTS_CACHE_MAX = 4096;

function parsedPoints(v: Uint8Array, issuer: Uint8Array): readonly DistributionPoint[] {
  const key = `${Buffer.from(v).toString('base64')} ${Buffer.from(issuer).toString('base64')}`;
  const cached = pointsCache.get(key);
  if (cached) return cached;
  const points: DistributionPoint[] = [];
  for (const dp of children(v, expectTag(readTlv(v), TAG.SEQUENCE, 'CRLDistributionPoints'))) {
    const f = children(v, expectTag(dp, TAG.SEQUENCE, 'DistributionPoint'));
    const name = f.find((t) => t.tag === 0xa0);
    if (!name || f.some((t) => t.tag === 0xa2)) continue; // cRLIssuer: an indirect CRL
    points.push({
      names: distributionPointNames(v, name, issuer),
      allReasons: !f.some((t) => t.tag === 0x81),
    });
  }
  if (pointsCache.size >= POINTS_CACHE_MAX) pointsCache.clear();
  pointsCache.set(key, points);
  return points;
}

// ---- CRLs ----

/** Reads the value of an issuingDistributionPoint extension of a CRL issued by `crlIssuer` (DER). */
export function parseIssuingDistributionPoint(v: Uint8Array, crlIssuer: Uint8Array): CrlScope {
  const scope: CrlScope = { ...COMPLETE_SCOPE };
  for (const t of children(v, expectTag(readTlv(v), TAG.SEQUENCE, 'IssuingDistributionPoint'))) {
    switch (t.tag) {
      case 0xa0:
        scope.names = distributionPointNames(v, t, crlIssuer);
        break;
      case 0x81:
        scope.onlyUserCerts = isTrue(v, t);
        break;
      case 0x82:
        scope.onlyCaCerts = isTrue(v, t);
        break;
      case 0x83:
        scope.allReasons = false;
        break;
      case 0x84:
        scope.indirect = isTrue(v, t);
        break;
      case 0x85:
        scope.onlyAttributeCerts = isTrue(v, t);
        break;
      default:
        throw new DerError(`IssuingDistributionPoint: unknown field ${t.tag.toString(16)}`);
    }
  }
  return scope;
}

/**
 * Whether a CRL of `scope` covers a card certificate (never a CA) with these distribution
 * points: 'complete' when its silence means "not revoked", 'partial' when it only covers some
 * reasons, undefined when it does not speak for the certificate at all.
 */
export function coverage(
  scope: CrlScope,
  points: readonly DistributionPoint[],
): 'complete' | 'partial' | undefined {
  if (scope.onlyCaCerts || scope.onlyAttributeCerts || scope.indirect) return undefined;
  const names = scope.names;
  // No partition named: the issuer's whole population, whatever the certificate points at.
  if (names === undefined) return scope.allReasons ? 'complete' : 'partial';
  const matching = points.filter((p) => [...p.names].some((n) => names.has(n)));
  if (matching.length === 0) return undefined;
  return scope.allReasons && matching.some((p) => p.allReasons) ? 'complete' : 'partial';
}
