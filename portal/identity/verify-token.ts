// Verification of a card token (spec §13), Web eID style: a fixed list of small, stateless
// checks run in order, each failing with its own code. The nonce checks (known, unused,
// unexpired, this browser) are done by the card step around this function.
import { verify as verifySignature } from 'node:crypto';
import { type Basic4Prefill, parseBasic4, prefillFromBasic4 } from '../../card/basic4.ts';
import { decodeToken, signedMessage, type TokenMode } from '../../card/token.ts';
import { type ParsedCertificate, parseCertificate, SHA256_WITH_RSA } from './certificate.ts';
import { CardCheckError } from './errors.ts';
import type { CertKind, Root, TrustStore } from './trust.ts';

export interface TokenInput {
  mode: TokenMode;
  /** The posted token text. */
  token: unknown;
  /** The nonce of the card session (posted, and matched to the stored hash). */
  nonce: string;
  /** The origin the card session was issued for. */
  sessionOrigin: string;
  /** PUBLIC_ORIGIN: the origin the signed message is rebuilt from. */
  publicOrigin: string;
  now: Date;
}

export interface VerifiedCard {
  /**
   * The card's identity: SHA-256 (hex) of the auth certificate's tbsCertificate, i.e. of what
   * the CA signed, so no re-encoding of the certificate's outer layer changes it (0601).
   */
  cardIdentity: string;
  /** SHA-256 of the auth certificate as posted: finds cards linked before migration 0301. */
  authCertFingerprint: string;
  authCertSerial: string;
  /** register mode: what the sign certificate can fill in STEP1 (spec §8.4). */
  basic4?: Basic4Prefill;
}

interface Part {
  kind: CertKind;
  certificateDer: Uint8Array;
  signature: Uint8Array;
  cert?: ParsedCertificate;
  root?: Root;
}

interface Context {
  input: TokenInput;
  trust: TrustStore;
  parts: Part[];
}

type Check = (ctx: Context) => void;

/** 1. Parse: size bounds, JSON, all fields, format major 1, RS256. */
function parseToken(input: TokenInput): Part[] {
  // One format check for both modes (card/token.ts): the same limits the client encodes to.
  const decoded = decodeToken(input.token, input.mode);
  if (!decoded.ok) throw new CardCheckError('token_invalid', decoded.error.code);
  const t = decoded.token;
  // Auth first: a card whose certificates are all revoked (lost) is reported as such, and a
  // revoked sign certificate alone means a change of address or name.
  const parts: Part[] = [{ kind: 'auth', certificateDer: t.authCertificate, signature: t.authSignature }];
  if ('signCertificate' in t) {
    parts.push({ kind: 'sign', certificateDer: t.signCertificate, signature: t.signSignature });
  }
  return parts;
}

const each =
  (check: (part: Part & { cert: ParsedCertificate }, ctx: Context) => void): Check =>
  (ctx) => {
    for (const part of ctx.parts) check(part as Part & { cert: ParsedCertificate }, ctx);
  };

/** 2. The card session was issued for this portal's public origin. */
const origin: Check = ({ input }) => {
  if (input.sessionOrigin !== input.publicOrigin) throw new CardCheckError('origin_mismatch');
};

/** 3. Each certificate: X.509 v3, RSA ≥ 2048 with e = 65537, sha256WithRSAEncryption. */
const certificateProfile: Check = each((part) => {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(part.certificateDer);
  } catch {
    throw new CardCheckError('certificate_invalid', `${part.kind}: not a certificate`);
  }
  if (cert.modulusBits < 2048 || cert.exponent !== 65537 || cert.signatureAlgorithm !== SHA256_WITH_RSA) {
    throw new CardCheckError('certificate_invalid', `${part.kind}: key or algorithm`);
  }
  part.cert = cert;
});

/** 4. Chain: issued by a configured root of its own kind, which is itself within validity. */
const chain: Check = each((part, { trust, input }) => {
  const root = trust.issuerOf(part.kind, part.cert);
  const t = input.now.getTime();
  if (!root || t < root.cert.notBefore.getTime() || t > root.cert.notAfter.getTime()) {
    throw new CardCheckError('certificate_untrusted', part.kind);
  }
  part.root = root;
});

/** 5. Validity period of both certificates, with the configured clock skew. */
const validity: Check = each((part, { trust, input }) => {
  const t = input.now.getTime();
  if (t + trust.clockSkewMs < part.cert.notBefore.getTime())
    throw new CardCheckError('certificate_not_yet_valid', part.kind);
  if (t - trust.clockSkewMs > part.cert.notAfter.getTime())
    throw new CardCheckError('certificate_expired', part.kind);
});

/** 6. Key usage: sign = digitalSignature + nonRepudiation; auth = digitalSignature. */
const keyUsage: Check = each((part) => {
  const ku = part.cert.keyUsage;
  const needed =
    part.kind === 'sign'
      ? (['digitalSignature', 'nonRepudiation'] as const)
      : (['digitalSignature'] as const);
  if (!ku || !needed.every((u) => ku.has(u))) throw new CardCheckError('key_usage', part.kind);
});

/** 7. Revocation against the hierarchy's CRL, under the configured failure policy. */
const revocation: Check = each((part, { trust, input }) => {
  const status = trust.revocation(part.kind, part.root!, part.cert, input.now);
  if (status === 'revoked')
    throw new CardCheckError(part.kind === 'sign' ? 'sign_certificate_revoked' : 'auth_certificate_revoked');
  if (status === 'unavailable' && trust.policy === 'refuse')
    throw new CardCheckError('revocation_unavailable', part.kind);
});

/** 8. Both signatures over M, rebuilt from our own origin and the stored nonce. */
const signatures: Check = each((part, { input }) => {
  const message = signedMessage(input.publicOrigin, input.nonce);
  if (!verifySignature('sha256', message, part.cert.publicKey, part.signature))
    throw new CardCheckError('signature_invalid', part.kind);
});

export const CHECKS: readonly Check[] = [
  origin,
  certificateProfile,
  chain,
  validity,
  keyUsage,
  revocation,
  signatures,
];

/** Runs every check in order; throws CardCheckError with the first failure's code. */
export async function verifyCardToken(input: TokenInput, trust: TrustStore): Promise<VerifiedCard> {
  await trust.refresh(input.now);
  const ctx: Context = { input, trust, parts: parseToken(input) };
  for (const check of CHECKS) check(ctx);
  const auth = ctx.parts.find((p) => p.kind === 'auth')!.cert!;
  const out: VerifiedCard = {
    cardIdentity: auth.tbsSha256,
    authCertFingerprint: auth.fingerprint,
    authCertSerial: auth.serial,
  };
  // 9. Only now read the basic four information (a broken entry leaves the fields to the user).
  const sign = ctx.parts.find((p) => p.kind === 'sign');
  if (sign) {
    try {
      out.basic4 = prefillFromBasic4(parseBasic4(sign.certificateDer));
    } catch {
      out.basic4 = {};
    }
  }
  return out;
}
