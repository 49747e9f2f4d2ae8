// Issues a card: two RSA-2048 key pairs, a sign and an auth certificate per the §8.2
// profile, and the virtual card file holding them.
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import {
  CARD_FILE_SUFFIX,
  CARD_FILE_VERSION,
  type CardFileData,
  MAX_TRIES,
  saveCardFile,
} from '../emulator/card-file.ts';
import { isValidAuthPin, isValidSignPassword } from '../pin.ts';
import type { Authority, DevPki } from './dev-pki.ts';
import {
  type Basic4Input,
  basic4SubjectAltName,
  type CertKind,
  crlDistributionPoints,
  DEMO_LOCALITY,
  EXT_OID,
  type Locality,
  POLICY_OID,
  serviceGeneralNames,
} from './profile.ts';
import { generateRsaKeys, RSA_ALG, type RsaKeys, randomSerial, x509 } from './x509.ts';

const DAY = 86_400_000;
export const DEFAULT_VALID_DAYS = 5 * 365;

export interface IssueParams {
  /** File name of the card: data/cards/<id>.card.json. */
  id: string;
  description?: { en: string; ja: string };
  /** Contents of the sign certificate's subjectAltName; null = no sign certificate (holder under 15). */
  basic4: Basic4Input | null;
  /** Shown by `card list` when there is no sign certificate to read the name from. */
  holderLabel?: string;
  signPassword: string;
  authPin: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Used when notAfter is not given. */
  validDays?: number;
  tokenLabel?: string;
  signTriesLeft?: number;
  authTriesLeft?: number;
  /**
   * Romanised locality for the sign certificate subject and its CRL distribution point
   * (spec §8.2); default DEMO_LOCALITY, the partition whose CRL the demo PKI writes.
   */
  locality?: Locality;
}

export class IssueError extends Error {
  override name = 'IssueError';
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An opaque identifier like the real subject CNs (about 21–23 characters, spec §8.2). */
export function opaqueId(length = 23): string {
  return Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');
}

export function validateIssueParams(p: IssueParams): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(p.id)) throw new IssueError('card id must be 1–64 of A–Z a–z 0–9 _ -');
  if (p.basic4 && !isValidSignPassword(p.signPassword)) {
    throw new IssueError('sign password must be 6–16 of A–Z and 0–9 mixing letters and digits');
  }
  if (!isValidAuthPin(p.authPin)) throw new IssueError('auth PIN must be exactly 4 digits');
  for (const [name, v, max] of [
    ['signTriesLeft', p.signTriesLeft, MAX_TRIES.sign],
    ['authTriesLeft', p.authTriesLeft, MAX_TRIES.auth],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > max))
      throw new IssueError(`${name} must be 0–${max}`);
  }
  if (p.validDays !== undefined && (!Number.isInteger(p.validDays) || p.validDays < 1)) {
    throw new IssueError('valid days must be a positive integer');
  }
}

/**
 * One end-entity certificate of the §8.2 profile. `cn` defaults to a fresh opaque identifier
 * (16 characters for sign, 23 for auth); the benchmark passes its own to patch copies later.
 */
export async function issueCertificate(
  kind: CertKind,
  authority: Authority,
  keys: RsaKeys,
  p: Pick<IssueParams, 'basic4' | 'locality'>,
  notBefore: Date,
  notAfter: Date,
  cn: string = opaqueId(kind === 'sign' ? 16 : 23),
): Promise<x509.X509Certificate> {
  const locality = p.locality ?? DEMO_LOCALITY;
  const subject =
    kind === 'sign' ? `C=JP, L=${locality.prefecture}, L=${locality.city}, CN=${cn}` : `C=JP, CN=${cn}`;
  const usage =
    kind === 'sign'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
      : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(usage, true)];
  if (kind === 'sign' && p.basic4) {
    extensions.push(new x509.Extension(EXT_OID.subjectAltName, false, basic4SubjectAltName(p.basic4)));
  }
  extensions.push(
    new x509.Extension(EXT_OID.issuerAltName, false, serviceGeneralNames()),
    new x509.CertificatePolicyExtension([POLICY_OID[kind]]),
    new x509.Extension(
      EXT_OID.crlDistributionPoints,
      false,
      crlDistributionPoints(kind, kind === 'sign' ? locality : undefined),
    ),
    await x509.AuthorityKeyIdentifierExtension.create(authority.certificate.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(keys.keys.publicKey),
  );
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: authority.certificate.subject,
    notBefore,
    notAfter,
    publicKey: keys.keys.publicKey,
    signingKey: authority.privateKey,
    signingAlgorithm: RSA_ALG,
    extensions,
  });
}

const b64 = (c: x509.X509Certificate) => Buffer.from(c.rawData).toString('base64');

/** Creates the card data (keys are generated concurrently). Does not write anything. */
export async function issueCard(pki: DevPki, p: IssueParams, now = new Date()): Promise<CardFileData> {
  validateIssueParams(p);
  const notBefore = p.notBefore ?? new Date(now.getTime() - 60_000);
  const notAfter = p.notAfter ?? new Date(notBefore.getTime() + (p.validDays ?? DEFAULT_VALID_DAYS) * DAY);
  if (notAfter <= notBefore) throw new IssueError('notAfter must be after notBefore');
  const [authKeys, signKeys] = await Promise.all([generateRsaKeys(), p.basic4 ? generateRsaKeys() : null]);
  const authCert = await issueCertificate('auth', pki.auth, authKeys, p, notBefore, notAfter);
  const signCert = signKeys
    ? await issueCertificate('sign', pki.sign, signKeys, p, notBefore, notAfter)
    : null;
  return {
    version: CARD_FILE_VERSION,
    id: p.id,
    description: p.description ?? { en: `Card ${p.id}`, ja: `カード ${p.id}` },
    holder: {
      name: p.basic4?.name ?? p.holderLabel ?? '',
      sex: p.basic4?.sex ?? '',
      dateOfBirth: p.basic4?.dateOfBirth ?? '',
      address: p.basic4?.address ?? '',
    },
    tokenLabel: p.tokenLabel ?? 'JPKIAPICCTOKEN2',
    sign:
      signCert && signKeys
        ? {
            certificate: b64(signCert),
            privateKey: signKeys.privateKeyPem,
            secret: p.signPassword,
            triesLeft: p.signTriesLeft ?? MAX_TRIES.sign,
          }
        : null,
    auth: {
      certificate: b64(authCert),
      privateKey: authKeys.privateKeyPem,
      secret: p.authPin,
      triesLeft: p.authTriesLeft ?? MAX_TRIES.auth,
    },
    signCaCertificate: b64(pki.sign.certificate),
    authCaCertificate: b64(pki.auth.certificate),
    createdAt: now.toISOString(),
  };
}

export function cardFilePath(cardsDir: string, id: string): string {
  return join(cardsDir, `${id}${CARD_FILE_SUFFIX}`);
}

/** Issues a card and writes its card file into the PKI's cards directory. */
export async function issueCardFile(pki: DevPki, p: IssueParams, now = new Date()): Promise<CardFileData> {
  const card = await issueCard(pki, p, now);
  await saveCardFile(cardFilePath(pki.paths.cardsDir, card.id), card);
  return card;
}
