// Revoking a card: both its certificates go on their hierarchy's CRL, which is re-signed.
import { X509Certificate } from 'node:crypto';
import type { CardFileData } from '../emulator/card-file.ts';
import { type DevPki, normalizeSerial, writeCrl } from './dev-pki.ts';

export function certificateSerial(b64Der: string): string {
  return normalizeSerial(new X509Certificate(Buffer.from(b64Der, 'base64')).serialNumber);
}

/** Adds the card's certificates to the sign and auth CRLs (already listed serials stay as they are). */
export async function revokeCard(pki: DevPki, card: CardFileData, now = new Date()): Promise<void> {
  await writeCrl(pki.paths, pki.auth, [certificateSerial(card.auth.certificate)], now);
  if (card.sign) await writeCrl(pki.paths, pki.sign, [certificateSerial(card.sign.certificate)], now);
}
