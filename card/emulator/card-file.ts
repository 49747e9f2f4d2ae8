// The virtual card file: everything a VirtualCard holds, as JSON on disk.
// Written atomically (temp file + rename) so a crash never leaves half a card, and a
// locked PIN stays locked across restarts.
import { readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../atomic-file.ts';

export const CARD_FILE_VERSION = 1;
export const CARD_FILE_SUFFIX = '.card.json';

/** Tries per secret (spec §5). */
export const MAX_TRIES = { sign: 5, auth: 3 } as const;

export interface KeySlot {
  /** Base64 DER of the end-entity certificate (EF 0001 / EF 000A). */
  certificate: string;
  /** PKCS#8 PEM of the RSA-2048 private key (EF 001A / EF 0017). Never leaves the card by APDU. */
  privateKey: string;
  /** The sign password or the auth PIN (EF 001B / EF 0018), as the holder types it. */
  secret: string;
  triesLeft: number;
}

/** Response styles a real reader stack may produce; the default answers directly. */
export type ResponseStyle = 'direct' | 'get-response' | 'wrong-le';

export interface CardFileData {
  version: typeof CARD_FILE_VERSION;
  id: string;
  description: { en: string; ja: string };
  /** Human-readable description of the holder for `card list`; the certificate is authoritative. */
  holder: { name: string; sex: string; dateOfBirth: string; address: string };
  /** EF 0006 label (JPKIAPICCTOKEN2 for a physical card, JPKIAPGPSETOKEN / JPKIAPIOSTOKEN for smartphones). */
  tokenLabel: string;
  /** Absent for holders without a signature certificate (under 15): EF 0008 = 00 8F 00. */
  sign: KeySlot | null;
  auth: KeySlot;
  /** Base64 DER of the CA certificates on the card (EF 0002 / EF 000B). */
  signCaCertificate: string;
  authCaCertificate: string;
  responseStyle?: ResponseStyle;
  createdAt: string;
}

export class CardFileError extends Error {
  override name = 'CardFileError';
}

function isSlot(v: unknown, max: number): v is KeySlot {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.certificate === 'string' &&
    typeof s.privateKey === 'string' &&
    typeof s.secret === 'string' &&
    Number.isInteger(s.triesLeft) &&
    (s.triesLeft as number) >= 0 &&
    (s.triesLeft as number) <= max
  );
}

/** Checks the parsed JSON has the shape of a card file; throws CardFileError naming the problem. */
export function validateCardFile(value: unknown, where = 'card file'): CardFileData {
  if (typeof value !== 'object' || value === null) throw new CardFileError(`${where}: not a JSON object`);
  const v = value as Record<string, unknown>;
  if (v.version !== CARD_FILE_VERSION)
    throw new CardFileError(`${where}: unsupported version ${String(v.version)}`);
  if (typeof v.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(v.id))
    throw new CardFileError(`${where}: bad id`);
  if (typeof v.tokenLabel !== 'string' || v.tokenLabel.length > 32) {
    throw new CardFileError(`${where}: bad tokenLabel`);
  }
  if (v.sign !== null && !isSlot(v.sign, MAX_TRIES.sign)) throw new CardFileError(`${where}: bad sign slot`);
  if (!isSlot(v.auth, MAX_TRIES.auth)) throw new CardFileError(`${where}: bad auth slot`);
  if (typeof v.signCaCertificate !== 'string' || typeof v.authCaCertificate !== 'string') {
    throw new CardFileError(`${where}: missing CA certificates`);
  }
  return value as CardFileData;
}

export async function loadCardFile(path: string): Promise<CardFileData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CardFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CardFileError(`${path}: not valid JSON`);
  }
  return validateCardFile(json, path);
}

export function saveCardFile(path: string, data: CardFileData): Promise<void> {
  return writeJsonAtomic(path, data);
}
