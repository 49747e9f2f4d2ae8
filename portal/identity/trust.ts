// Trust anchors and CRLs, loaded once and kept in memory. Files are re-read when they change
// (checked at most every `recheckMs`) and a CRL is re-read when its nextUpdate has passed,
// so the hot path of a verification is a few map look-ups. A CRL speaks only for the
// certificates whose distribution point it names (crl-scope.ts); a CRL the portal cannot read
// completely (no nextUpdate, a critical extension it does not know) is logged and ignored.

import { verify } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { CertKind } from '../../card/pki/profile.ts';
import { pemCertificates } from './anchor-keys.ts';
import { isCaCertificate, normalizeSerial, type ParsedCertificate, parseCertificate } from './certificate.ts';
import {
  COMPLETE_SCOPE,
  type CrlScope,
  certificateDistributionPoints,
  coverage,
  type DistributionPoint,
  parseIssuingDistributionPoint,
} from './crl-scope.ts';
import { x509 } from './peculiar.ts';

export type { CertKind };

export interface TrustConfig {
  signRoots: string[];
  authRoots: string[];
  signCrls: string[];
  authCrls: string[];
  crlFailure: 'refuse' | 'allow';
  clockSkewSeconds: number;
}

export interface Root {
  kind: CertKind;
  cert: ParsedCertificate;
  peculiar: x509.X509Certificate;
}

interface CrlState {
  /** fingerprint of the root that signed it */
  root: string;
  revoked: Set<string>;
  nextUpdate: Date;
  scope: CrlScope;
}

const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
/**
 * Critical CRL extensions the portal may accept: the one it acts on (the issuing distribution
 * point) and those that say nothing about which certificates are revoked. deltaCRLIndicator,
 * a critical freshestCRL and anything unknown make the CRL unusable (RFC 5280 §5.2).
 */
const CRITICAL_CRL_EXTENSIONS_UNDERSTOOD = new Set([
  ISSUING_DISTRIBUTION_POINT,
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.20', // cRLNumber
  '2.5.29.18', // issuerAltName
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);
/** reasonCode, holdInstructionCode, invalidityDate; certificateIssuer (indirect CRLs) is not. */
const CRITICAL_ENTRY_EXTENSIONS_UNDERSTOOD = new Set(['2.5.29.21', '2.5.29.23', '2.5.29.24']);

/** Why a CRL cannot be used, for the log; undefined when it can. */
function unusable(crl: x509.X509Crl): { reason: string; extension?: string } | undefined {
  if (crl.nextUpdate === undefined) return { reason: 'no nextUpdate, so it could never go out of date' };
  const seen = new Set<string>();
  for (const ext of crl.extensions) {
    if (seen.has(ext.type)) return { reason: 'duplicate extension', extension: ext.type };
    seen.add(ext.type);
    if (ext.critical && !CRITICAL_CRL_EXTENSIONS_UNDERSTOOD.has(ext.type))
      return { reason: 'unknown critical extension', extension: ext.type };
  }
  for (const entry of crl.entries) {
    for (const ext of entry.extensions) {
      if (ext.critical && !CRITICAL_ENTRY_EXTENSIONS_UNDERSTOOD.has(ext.type))
        return { reason: 'unknown critical entry extension', extension: ext.type };
    }
  }
  return undefined;
}

export type RevocationStatus = 'good' | 'revoked' | 'unavailable';

export interface TrustLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

const mtime = (file: string): number => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

export class TrustStore {
  readonly #config: TrustConfig;
  readonly #log: TrustLog;
  readonly #recheckMs: number;
  #roots: Record<CertKind, Root[]> = { sign: [], auth: [] };
  #crls: Record<CertKind, CrlState[]> = { sign: [], auth: [] };
  #mtimes = new Map<string, number>();
  #checkedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;

  private constructor(config: TrustConfig, log: TrustLog, recheckMs: number) {
    this.#config = config;
    this.#log = log;
    this.#recheckMs = recheckMs;
  }

  static async load(config: TrustConfig, log: TrustLog, recheckMs = 5_000): Promise<TrustStore> {
    const store = new TrustStore(config, log, recheckMs);
    await store.#reload();
    store.#checkedAt = Date.now();
    return store;
  }

  get policy(): 'refuse' | 'allow' {
    return this.#config.crlFailure;
  }
  get clockSkewMs(): number {
    return this.#config.clockSkewSeconds * 1000;
  }

  #files(): string[] {
    const c = this.#config;
    return [...c.signRoots, ...c.authRoots, ...c.signCrls, ...c.authCrls];
  }

  /** Called before each verification: cheap unless a file changed or a CRL passed its nextUpdate. */
  async refresh(now: Date): Promise<void> {
    const t = Date.now();
    if (t - this.#checkedAt < this.#recheckMs) return;
    this.#checkedAt = t;
    const changed = this.#files().some((f) => mtime(f) !== this.#mtimes.get(f));
    const stale = (['sign', 'auth'] as const).some((kind) =>
      this.#crls[kind].some((c) => c.nextUpdate.getTime() < now.getTime()),
    );
    if (!changed && !stale) return;
    this.#loading ??= this.#reload().finally(() => {
      this.#loading = undefined;
    });
    await this.#loading;
  }

  async #reload(): Promise<void> {
    for (const f of this.#files()) this.#mtimes.set(f, mtime(f));
    const roots: Record<CertKind, Root[]> = { sign: [], auth: [] };
    for (const kind of ['sign', 'auth'] as const) {
      for (const file of kind === 'sign' ? this.#config.signRoots : this.#config.authRoots) {
        try {
          const text = await readFile(file, 'utf8');
          for (const der of pemCertificates(text)) {
            const cert = parseCertificate(der);
            const usable =
              isCaCertificate(der) && (cert.keyUsage === undefined || cert.keyUsage.has('keyCertSign'));
            if (!usable) {
              this.#log.warn({ file, kind }, 'trust anchor ignored: not a CA certificate with keyCertSign');
              continue;
            }
            roots[kind].push({ kind, cert, peculiar: new x509.X509Certificate(Buffer.from(der)) });
          }
        } catch (err) {
          this.#log.warn({ file, kind, err: (err as Error).message }, 'trust anchor file could not be read');
        }
      }
    }
    const crls: Record<CertKind, CrlState[]> = { sign: [], auth: [] };
    for (const kind of ['sign', 'auth'] as const) {
      for (const file of kind === 'sign' ? this.#config.signCrls : this.#config.authCrls) {
        try {
          const crl = new x509.X509Crl(await readFile(file));
          let signer: Root | undefined;
          for (const root of roots[kind]) {
            if (crl.issuer === root.peculiar.subject && (await crl.verify({ publicKey: root.peculiar }))) {
              signer = root;
              break;
            }
          }
          if (!signer) {
            this.#log.warn({ file, kind }, 'CRL ignored: not signed by a configured trust anchor');
            continue;
          }
          const problem = unusable(crl);
          if (problem) {
            this.#log.warn({ file, kind, ...problem }, `CRL ignored: ${problem.reason}`);
            continue;
          }
          const idp = crl.extensions.find((e) => e.type === ISSUING_DISTRIBUTION_POINT);
          const scope = idp
            ? parseIssuingDistributionPoint(new Uint8Array(idp.value), signer.cert.subject)
            : COMPLETE_SCOPE;
          if (scope.indirect || scope.onlyAttributeCerts) {
            this.#log.warn({ file, kind }, 'CRL ignored: an indirect or attribute-certificate CRL');
            continue;
          }
          crls[kind].push({
            root: signer.cert.fingerprint,
            revoked: new Set(crl.entries.map((e) => normalizeSerial(e.serialNumber))),
            nextUpdate: crl.nextUpdate!,
            scope,
          });
        } catch (err) {
          this.#log.warn({ file, kind, err: (err as Error).message }, 'CRL could not be read');
        }
      }
    }
    this.#roots = roots;
    this.#crls = crls;
  }

  roots(kind: CertKind): readonly Root[] {
    return this.#roots[kind];
  }

  /** The configured root that signed `cert` (chosen by signature: generations share one DN). */
  issuerOf(kind: CertKind, cert: ParsedCertificate): Root | undefined {
    return this.#roots[kind].find(
      (r) =>
        Buffer.compare(cert.issuer, r.cert.subject) === 0 &&
        verify('sha256', cert.tbs, r.cert.publicKey, cert.signature),
    );
  }

  /**
   * 'revoked' when a CRL covering the certificate lists it; 'good' when an up-to-date CRL
   * covering it for every reason does not; otherwise 'unavailable' (CRL_FAILURE_POLICY decides).
   */
  revocation(kind: CertKind, root: Root, cert: ParsedCertificate, now: Date): RevocationStatus {
    let points: readonly DistributionPoint[];
    try {
      points = certificateDistributionPoints(cert.tbs, cert.issuer);
    } catch {
      return 'unavailable'; // signed by the root, yet unreadable: no CRL can be matched to it
    }
    let complete = false;
    for (const c of this.#crls[kind]) {
      if (c.root !== root.cert.fingerprint || c.nextUpdate.getTime() < now.getTime()) continue;
      const covers = coverage(c.scope, points);
      if (covers === undefined) continue;
      if (c.revoked.has(cert.serial)) return 'revoked';
      if (covers === 'complete') complete = true;
    }
    return complete ? 'good' : 'unavailable';
  }
}
