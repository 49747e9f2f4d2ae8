// The development trust anchors (one self-signed root per certificate kind) and their CRLs.
// Layout under the data dir: pki/{sign,auth}-root.pem, pki/{sign,auth}-root.key.pem,
// pki/{sign,auth}.crl (DER). The portal loads the roots and CRLs from these files.
// As in the real hierarchy, each CRL covers one distribution point (its issuing distribution
// point names it): the auth CRL the whole auth hierarchy, the sign CRL the demo municipality.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.ts';
import { readTlv, TAG, value } from '../der.ts';
import {
  type CertKind,
  crlNumber,
  demoCrlPartition,
  EXT_OID,
  issuingDistributionPoint,
  type Locality,
  rootSubject,
  serviceGeneralNames,
} from './profile.ts';
import { normalizeSerial } from './serial.ts';
import { generateRsaKeys, importPrivateKey, RSA_ALG, x509 } from './x509.ts';

export const CRL_VALIDITY_DAYS = 7;
const DAY = 86_400_000;
const ROOT_BACKDATE_DAYS = 6 * 366; // covers the "expired" demo card's whole validity
const ROOT_VALIDITY_DAYS = 10 * 366;

export interface PkiPaths {
  pkiDir: string;
  cardsDir: string;
  root(kind: CertKind): string;
  rootKey(kind: CertKind): string;
  crl(kind: CertKind): string;
}

export function pkiPaths(dataDir: string): PkiPaths {
  const pkiDir = join(dataDir, 'pki');
  return {
    pkiDir,
    cardsDir: join(dataDir, 'cards'),
    root: (kind) => join(pkiDir, `${kind}-root.pem`),
    rootKey: (kind) => join(pkiDir, `${kind}-root.key.pem`),
    crl: (kind) => join(pkiDir, `${kind}.crl`),
  };
}

export interface Authority {
  kind: CertKind;
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface DevPki {
  paths: PkiPaths;
  sign: Authority;
  auth: Authority;
}

export { normalizeSerial } from './serial.ts';

export type ProgressFn = (message: string) => void;

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function createRoot(
  kind: CertKind,
  now: Date,
): Promise<{ certificate: x509.X509Certificate; keyPem: string }> {
  const { keys, privateKeyPem } = await generateRsaKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: rootSubject(kind),
    notBefore: new Date(now.getTime() - ROOT_BACKDATE_DAYS * DAY),
    notAfter: new Date(now.getTime() + ROOT_VALIDITY_DAYS * DAY),
    keys,
    signingAlgorithm: RSA_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.Extension(EXT_OID.subjectAltName, false, serviceGeneralNames()),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, keyPem: privateKeyPem };
}

async function loadAuthority(paths: PkiPaths, kind: CertKind): Promise<Authority> {
  const certificate = new x509.X509Certificate(await readFile(paths.root(kind), 'utf8'));
  const privateKey = await importPrivateKey(await readFile(paths.rootKey(kind), 'utf8'));
  return { kind, certificate, privateKey };
}

export async function loadDevPki(dataDir: string): Promise<DevPki> {
  const paths = pkiPaths(dataDir);
  return { paths, sign: await loadAuthority(paths, 'sign'), auth: await loadAuthority(paths, 'auth') };
}

export async function readCrl(paths: PkiPaths, kind: CertKind): Promise<x509.X509Crl | null> {
  try {
    return new x509.X509Crl(await readFile(paths.crl(kind)));
  } catch {
    return null;
  }
}

function crlNumberOf(crl: x509.X509Crl): number {
  const ext = crl.extensions.find((e) => e.type === EXT_OID.crlNumber);
  if (!ext) return 0;
  const bytes = new Uint8Array(ext.value);
  const t = readTlv(bytes);
  if (t.tag !== TAG.INTEGER) return 0;
  return value(bytes, t).reduce((n, b) => n * 256 + b, 0);
}

export interface CrlParams {
  entries?: readonly x509.X509CrlEntryParams[];
  now?: Date;
  /** CRL number; default 1. */
  number?: number;
  /** Default: thisUpdate + CRL_VALIDITY_DAYS; null: no nextUpdate at all (a broken CRL, for tests). */
  nextUpdate?: Date | null;
  /**
   * The partition named in the issuing distribution point: default the demo PKI's partition of
   * the kind; a municipality for another sign partition; null: no issuing distribution point
   * (a complete CRL of the whole hierarchy).
   */
  partition?: Locality | null;
  /** Further CRL extensions (tests add unknown critical ones). */
  extensions?: readonly x509.Extension[];
}

/** Signs a CRL of `authority` (writes nothing). */
export async function createCrl(authority: Authority, p: CrlParams = {}): Promise<x509.X509Crl> {
  const now = p.now ?? new Date();
  const partition = p.partition === undefined ? demoCrlPartition(authority.kind) : p.partition;
  return x509.X509CrlGenerator.create({
    issuer: authority.certificate.subject,
    thisUpdate: now,
    ...(p.nextUpdate === null
      ? {}
      : { nextUpdate: p.nextUpdate ?? new Date(now.getTime() + CRL_VALIDITY_DAYS * DAY) }),
    entries: [...(p.entries ?? [])],
    signingKey: authority.privateKey,
    signingAlgorithm: RSA_ALG,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate.publicKey),
      new x509.Extension(EXT_OID.crlNumber, false, crlNumber(p.number ?? 1)),
      ...(partition === null
        ? []
        : [
            new x509.Extension(
              EXT_OID.issuingDistributionPoint,
              true,
              issuingDistributionPoint(authority.kind, partition),
            ),
          ]),
      ...(p.extensions ?? []),
    ],
  });
}

/** Whether `crl` names the demo PKI's partition of `kind` (CRLs written before it did not). */
function hasDemoPartition(crl: x509.X509Crl, kind: CertKind): boolean {
  const idp = crl.extensions.find((e) => e.type === EXT_OID.issuingDistributionPoint);
  const expected = issuingDistributionPoint(kind, demoCrlPartition(kind));
  return idp !== undefined && Buffer.from(idp.value).equals(Buffer.from(expected));
}

/**
 * (Re)writes the CRL of `authority` with the given entries plus the existing ones, a fresh
 * thisUpdate, nextUpdate = +7 days, the next CRL number and the demo partition.
 */
export async function writeCrl(
  paths: PkiPaths,
  authority: Authority,
  addSerials: readonly string[] = [],
  now = new Date(),
): Promise<x509.X509Crl> {
  const previous = await readCrl(paths, authority.kind);
  // Entries of a CRL from another root (the root was re-created) do not carry over.
  const samePki =
    previous?.issuer === authority.certificate.subject &&
    (await previous?.verify({ publicKey: authority.certificate }));
  const entries = new Map<string, x509.X509CrlEntryParams>();
  if (previous && samePki) {
    for (const e of previous.entries) {
      entries.set(normalizeSerial(e.serialNumber), {
        serialNumber: e.serialNumber,
        revocationDate: e.revocationDate,
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
      });
    }
  }
  for (const s of addSerials) {
    const key = normalizeSerial(s);
    if (!entries.has(key))
      entries.set(key, { serialNumber: s, revocationDate: now, reason: x509.X509CrlReason.unspecified });
  }
  const crl = await createCrl(authority, {
    entries: [...entries.values()],
    now,
    number: (previous && samePki ? crlNumberOf(previous) : 0) + 1,
  });
  await writeFileAtomic(paths.crl(authority.kind), new Uint8Array(crl.rawData));
  return crl;
}

/**
 * Creates whatever is missing: a root and key per kind, and a CRL per kind. A CRL past its
 * nextUpdate, or without the demo partition, is re-signed so a long-lived development data dir
 * keeps working. Idempotent.
 */
export async function ensureDevPki(dataDir: string, onProgress: ProgressFn = () => {}): Promise<DevPki> {
  const paths = pkiPaths(dataDir);
  await mkdir(paths.pkiDir, { recursive: true });
  await mkdir(paths.cardsDir, { recursive: true });
  const now = new Date();
  const missing: CertKind[] = [];
  for (const kind of ['sign', 'auth'] as const) {
    if (!((await exists(paths.root(kind))) && (await exists(paths.rootKey(kind))))) missing.push(kind);
  }
  if (missing.length > 0)
    onProgress(`creating development trust anchor(s): ${missing.join(', ')} (RSA-2048)…`);
  await Promise.all(
    missing.map(async (kind) => {
      const { certificate, keyPem } = await createRoot(kind, now);
      await writeFileAtomic(paths.rootKey(kind), keyPem, 0o600);
      await writeFileAtomic(paths.root(kind), certificate.toString('pem'));
    }),
  );
  const pki = await loadDevPki(dataDir);
  for (const kind of ['sign', 'auth'] as const) {
    const crl = await readCrl(paths, kind);
    const stale =
      !crl ||
      crl.issuer !== pki[kind].certificate.subject ||
      !(await crl.verify({ publicKey: pki[kind].certificate })) ||
      crl.nextUpdate === undefined ||
      crl.nextUpdate.getTime() < now.getTime() ||
      !hasDemoPartition(crl, kind);
    if (stale) {
      onProgress(`writing ${kind} CRL…`);
      await writeCrl(paths, pki[kind], [], now);
    }
  }
  return pki;
}

/** Serials revoked by each kind's current CRL (normalised hex). */
export async function revokedSerials(dataDir: string): Promise<Record<CertKind, Set<string>>> {
  const paths = pkiPaths(dataDir);
  const out = { sign: new Set<string>(), auth: new Set<string>() };
  for (const kind of ['sign', 'auth'] as const) {
    const crl = await readCrl(paths, kind);
    for (const e of crl?.entries ?? []) out[kind].add(normalizeSerial(e.serialNumber));
  }
  return out;
}
