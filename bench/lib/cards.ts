// Bench cards: the card library's certificate profile with a pool of reused RSA keys.
//
// A card registers once: the portal links a user to the SHA-256 of the card's authentication
// certificate's TBSCertificate (user_cards.card_identity, decision 0601). What makes a card unique
// is therefore what its CA signed, not its keys. The bench generates a few RSA-2048 key pairs per
// worker (≈100–300 ms each) and issues one template card per pair with the card library's
// issueCertificate (card/pki/issue.ts) over those keys. Every further card copies a template and gets new certificates: the serial number
// and the subject CN are overwritten with fresh random values of the same length, and the
// TBSCertificate is signed again by the bench's temporary root with node:crypto. Same length
// means the DER needs no re-encoding: ≈3 ms a card instead of ≈75 ms through @peculiar/x509.
import { createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { toJpkiDateOfBirth } from '../../card/basic4.ts';
import { children, readTlv, TAG } from '../../card/der.ts';
import type { CardFileData } from '../../card/emulator/card-file.ts';
import type { Authority, DevPki } from '../../card/pki/dev-pki.ts';
import { issueCertificate, opaqueId } from '../../card/pki/issue.ts';
import { type Basic4Input, type CertKind, noSubstitutes } from '../../card/pki/profile.ts';
import { generateRsaKeys, type RsaKeys, type x509 } from '../../card/pki/x509.ts';

export const BENCH_SIGN_PASSWORD = 'BENCH2026';
export const BENCH_AUTH_PIN = '2468';

const NAME = 'ＢＥＮＣＨ　ＡＰＰＬＩＣＡＮＴ';
const ADDRESS = '東京都新宿区西新宿二丁目８番１号';
export const BENCH_BASIC4: Basic4Input = {
  name: NAME,
  nameSubstitutes: noSubstitutes(NAME),
  sex: '1',
  dateOfBirth: toJpkiDateOfBirth('1990-04-01'),
  address: ADDRESS,
  addressSubstitutes: noSubstitutes(ADDRESS),
};

const DAY = 86_400_000;

export async function keyPool(n: number): Promise<RsaKeys[]> {
  return Promise.all(Array.from({ length: n }, () => generateRsaKeys()));
}

async function certificate(
  kind: CertKind,
  authority: Authority,
  keys: RsaKeys,
  notBefore: Date,
  notAfter: Date,
  cn: string,
): Promise<string> {
  const cert = await issueCertificate(
    kind,
    authority,
    keys,
    { basic4: BENCH_BASIC4 },
    notBefore,
    notAfter,
    cn,
  );
  return Buffer.from(cert.rawData).toString('base64');
}

export interface TemplateCard {
  card: CardFileData;
  cn: { sign: string; auth: string };
}

/** A card with its own certificates over pooled keys (the slow, library way: a template). */
export async function issueTemplateCard(
  pki: DevPki,
  id: string,
  signKeys: RsaKeys,
  authKeys: RsaKeys,
  now = new Date(),
): Promise<TemplateCard> {
  const cn = { sign: opaqueId(16), auth: opaqueId(23) };
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 365 * DAY);
  const b64 = (c: x509.X509Certificate) => Buffer.from(c.rawData).toString('base64');
  const card: CardFileData = {
    version: 1,
    id,
    description: { en: `Bench card ${id}`, ja: `ベンチカード ${id}` },
    holder: { name: NAME, sex: '1', dateOfBirth: BENCH_BASIC4.dateOfBirth, address: ADDRESS },
    tokenLabel: 'JPKIAPICCTOKEN2',
    sign: {
      certificate: await certificate('sign', pki.sign, signKeys, notBefore, notAfter, cn.sign),
      privateKey: signKeys.privateKeyPem,
      secret: BENCH_SIGN_PASSWORD,
      triesLeft: 5,
    },
    auth: {
      certificate: await certificate('auth', pki.auth, authKeys, notBefore, notAfter, cn.auth),
      privateKey: authKeys.privateKeyPem,
      secret: BENCH_AUTH_PIN,
      triesLeft: 3,
    },
    signCaCertificate: b64(pki.sign.certificate),
    authCaCertificate: b64(pki.auth.certificate),
    createdAt: now.toISOString(),
  };
  return { card, cn };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A copy of `der` with a new random serial number and subject CN (same lengths), signed again
 * with `caKey`. The CN is found as its ASCII bytes after the serial number (the issuer, the
 * root's subject, holds no such string).
 */
export function reissueCertificate(der: Uint8Array, cn: string, caKey: KeyObject): Buffer {
  const out = Buffer.from(der);
  const cert = readTlv(out, 0);
  const tbs = readTlv(out, cert.valueStart, cert.end);
  const [version, serial] = children(out, tbs);
  if (version?.tag !== 0xa0 || serial?.tag !== TAG.INTEGER) throw new Error('unexpected TBSCertificate');
  const s = randomBytes(serial.end - serial.valueStart);
  s[0] = (s[0]! & 0x7f) | 0x01;
  s.copy(out, serial.valueStart);
  const at = out.indexOf(cn, serial.end, 'latin1');
  if (at < 0 || at + cn.length > tbs.end) throw new Error('CN not found in the certificate');
  const bytes = randomBytes(cn.length);
  for (let i = 0; i < cn.length; i++) out[at + i] = ALNUM.charCodeAt(bytes[i]! % ALNUM.length);
  const signature = sign('sha256', out.subarray(tbs.start, tbs.end), caKey);
  // signatureValue (BIT STRING: 00, then the signature) ends the certificate; same length as before.
  signature.copy(out, cert.end - signature.length);
  return out;
}

export interface CaKeys {
  sign: KeyObject;
  auth: KeyObject;
}

export function loadCaKeys(pki: DevPki): CaKeys {
  const k = (kind: CertKind) => createPrivateKey(readFileSync(pki.paths.rootKey(kind), 'utf8'));
  return { sign: k('sign'), auth: k('auth') };
}

/** A new card from a template: fresh sign and auth certificates (new serials, new CNs). */
export function cloneCard(t: TemplateCard, id: string, ca: CaKeys): CardFileData {
  const fresh = (b64: string, cn: string, key: KeyObject) =>
    reissueCertificate(Buffer.from(b64, 'base64'), cn, key).toString('base64');
  return {
    ...t.card,
    id,
    sign: { ...t.card.sign!, certificate: fresh(t.card.sign!.certificate, t.cn.sign, ca.sign) },
    auth: { ...t.card.auth, certificate: fresh(t.card.auth.certificate, t.cn.auth, ca.auth) },
  };
}
