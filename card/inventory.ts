// What cards a data directory holds and what state each is in (for `card list` and readers).
import { X509Certificate } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CARD_FILE_SUFFIX, type CardFileData, loadCardFile } from './emulator/card-file.ts';
import { normalizeSerial } from './pki/serial.ts';

export interface CardSummary {
  id: string;
  description: { en: string; ja: string };
  holderName: string;
  hasSignCertificate: boolean;
  signTriesLeft: number | null;
  authTriesLeft: number;
  notAfter: Date;
  expired: boolean;
  /** undefined when no CRL information was given. */
  revoked: boolean | undefined;
  serials: { sign: string | null; auth: string };
}

export interface InvalidCardFile {
  file: string;
  error: string;
}

export async function readCardFiles(
  cardsDir: string,
): Promise<{ cards: CardFileData[]; invalid: InvalidCardFile[] }> {
  const names = await readdir(cardsDir).catch(() => [] as string[]);
  const cards: CardFileData[] = [];
  const invalid: InvalidCardFile[] = [];
  for (const name of names.filter((n) => n.endsWith(CARD_FILE_SUFFIX)).sort()) {
    try {
      cards.push(await loadCardFile(join(cardsDir, name)));
    } catch (e) {
      invalid.push({ file: name, error: (e as Error).message });
    }
  }
  return { cards, invalid };
}

const serialOf = (c: X509Certificate) => normalizeSerial(c.serialNumber);

export function summarizeCard(
  card: CardFileData,
  revoked?: { sign: Set<string>; auth: Set<string> },
  now = new Date(),
): CardSummary {
  const auth = new X509Certificate(Buffer.from(card.auth.certificate, 'base64'));
  const sign = card.sign ? new X509Certificate(Buffer.from(card.sign.certificate, 'base64')) : null;
  const notAfter = new Date(auth.validTo);
  const serials = { sign: sign ? serialOf(sign) : null, auth: serialOf(auth) };
  return {
    id: card.id,
    description: card.description,
    holderName: card.holder.name,
    hasSignCertificate: card.sign !== null,
    signTriesLeft: card.sign?.triesLeft ?? null,
    authTriesLeft: card.auth.triesLeft,
    notAfter,
    expired: notAfter.getTime() < now.getTime(),
    revoked: revoked
      ? revoked.auth.has(serials.auth) || (serials.sign !== null && revoked.sign.has(serials.sign))
      : undefined,
    serials,
  };
}
