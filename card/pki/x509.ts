// @peculiar/x509 wired to node's webcrypto, plus RSA key helpers for the demo PKI.
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };

export const RSA_ALG = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export interface RsaKeys {
  keys: CryptoKeyPair;
  /** PKCS#8 PEM of the private key, as stored in card files and root key files. */
  privateKeyPem: string;
}

/** RSA-2048, e = 65537 (spec §3). Takes about 100–300 ms; run several at once to use both cores. */
export async function generateRsaKeys(): Promise<RsaKeys> {
  const keys = (await webcrypto.subtle.generateKey(RSA_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keys, privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('no PEM block in private key');
  return webcrypto.subtle.importKey('pkcs8', der, RSA_ALG, false, ['sign']);
}

/** A positive serial number of 9 random bytes, hex. */
export function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(9));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return Buffer.from(b).toString('hex');
}
