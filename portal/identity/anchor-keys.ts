// Trust anchors whose private keys lie beside them. The development PKI (card/pki/dev-pki.ts)
// writes pki/<kind>-root.key.pem next to pki/<kind>-root.pem: whoever can read that directory
// can issue a card the portal accepts, so production refuses such anchors unless
// ALLOW_DEMO_TRUST_ANCHORS=true says this is a demonstration system. The key is found by what
// it is (its public key is the anchor's), not by its file name.
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The DER certificates of a PEM file (several roots may share one file). */
export function pemCertificates(text: string): Uint8Array[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

/** Key files are small; anything larger is not read (an anchor may sit in a big directory). */
const MAX_KEY_FILE = 64 * 1024;
const PRIVATE_KEY_PEM =
  /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC )?PRIVATE KEY-----/g;

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('base64');

/** The public keys of the unencrypted private keys in one file (PEM blocks, or one PKCS#8 DER). */
function privateKeysIn(file: string): string[] {
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile() || statSync(file).size > MAX_KEY_FILE) return [];
    bytes = readFileSync(file);
  } catch {
    return [];
  }
  const out: string[] = [];
  const pems = bytes.toString('latin1').match(PRIVATE_KEY_PEM) ?? [];
  for (const pem of pems) {
    try {
      out.push(spki(createPublicKey(createPrivateKey(pem))));
    } catch {
      // not a key node can read: nothing to compare
    }
  }
  if (pems.length === 0) {
    try {
      out.push(spki(createPublicKey(createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }))));
    } catch {
      // not a DER private key
    }
  }
  return out;
}

/**
 * For each anchor file, a file in the same directory (or the file itself) holding the private key of one of its
 * certificates. Unreadable anchors are skipped here: the trust store reports them.
 */
export function anchorKeysBeside(anchorFiles: readonly string[]): Array<{ anchor: string; key: string }> {
  const found: Array<{ anchor: string; key: string }> = [];
  for (const anchor of anchorFiles) {
    let publicKeys: Set<string>;
    let siblings: string[];
    try {
      publicKeys = new Set(
        pemCertificates(readFileSync(anchor, 'utf8')).map((der) => spki(new X509Certificate(der).publicKey)),
      );
      siblings = readdirSync(path.dirname(anchor)).map((name) => path.join(path.dirname(anchor), name));
    } catch {
      continue;
    }
    // The anchor's own file counts too: a PEM holding certificate and key together.
    const key = siblings.find((file) => privateKeysIn(file).some((k) => publicKeys.has(k)));
    if (key) found.push({ anchor, key });
  }
  return found;
}
