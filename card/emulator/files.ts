// The JPKI AP file table (spec §2) built from a card file.
import type { CardFileData } from './card-file.ts';

export const JPKI_AID = 'D392F000260100000001';
export const ATR_HEX = '3BE000FF8131FE4514';

export const EF = {
  SIGN_CERT: 0x0001,
  SIGN_CA_CERT: 0x0002,
  TOKEN_INFO: 0x0006,
  AVAILABILITY: 0x0008,
  UNKNOWN_PROTECTED: 0x0009,
  AUTH_CERT: 0x000a,
  AUTH_CA_CERT: 0x000b,
  AUTH_KEY: 0x0017,
  AUTH_PIN: 0x0018,
  SIGN_KEY: 0x001a,
  SIGN_PIN: 0x001b,
} as const;

export type PinName = 'sign' | 'auth';

/** Who may READ BINARY a transparent EF. */
export type ReadAccess = 'always' | 'sign' | 'auth' | 'never';

export type ElementaryFile =
  | { kind: 'binary'; content: Uint8Array; read: ReadAccess }
  | { kind: 'pin'; pin: PinName }
  | { kind: 'key'; pin: PinName };

const FILLER = 0xff;
const MIN_CERT_EF_SIZE = 2048;

/** A certificate EF is larger than the DER object, padded with FF (spec §4, §7). */
export function withFiller(der: Uint8Array, minSize = MIN_CERT_EF_SIZE): Uint8Array {
  const size = Math.max(minSize, Math.ceil((der.length + 1) / 256) * 256);
  const out = new Uint8Array(size).fill(FILLER);
  out.set(der, 0);
  return out;
}

function ascii(text: string, size: number): Uint8Array {
  return new TextEncoder().encode(text.padEnd(size, ' ').slice(0, size));
}

/**
 * EF 0006: a 160-byte CK_TOKEN_INFO with 32-bit big-endian integers. Only the label matters
 * to clients; the rest is plausible filler (spec §2).
 */
export function tokenInfo(label: string, serial: string): Uint8Array {
  const out = new Uint8Array(160);
  const view = new DataView(out.buffer);
  out.set(ascii(label, 32), 0);
  out.set(ascii('JPKI-DEMO', 32), 32);
  out.set(ascii('VirtualCard', 16), 64);
  out.set(ascii(serial, 16), 80);
  // flags: RNG | LOGIN_REQUIRED | USER_PIN_INITIALIZED | TOKEN_INITIALIZED
  view.setUint32(96, 0x0000040d);
  // session counts and memory sizes stay zero ("may be zero", spec §2); versions 1.0.
  out.set([1, 0, 1, 0], 140);
  out.set(ascii('', 16), 144);
  return out;
}

export function isMobileLabel(label: string): boolean {
  return !label.startsWith('JPKIAPICCTOKEN');
}

export function buildFileTable(card: CardFileData): Map<number, ElementaryFile> {
  const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
  const files = new Map<number, ElementaryFile>();
  // Smartphone tokens want the auth PIN before the auth certificate can be read (spec §1).
  const authCertRead: ReadAccess = isMobileLabel(card.tokenLabel) ? 'auth' : 'always';
  files.set(EF.SIGN_CA_CERT, {
    kind: 'binary',
    content: withFiller(der(card.signCaCertificate)),
    read: 'always',
  });
  files.set(EF.TOKEN_INFO, { kind: 'binary', content: tokenInfo(card.tokenLabel, card.id), read: 'always' });
  files.set(EF.AVAILABILITY, {
    kind: 'binary',
    content: Uint8Array.from([card.sign ? 0x8f : 0x00, 0x8f, 0x00]),
    read: 'always',
  });
  files.set(EF.UNKNOWN_PROTECTED, {
    kind: 'binary',
    content: new Uint8Array(16).fill(FILLER),
    read: 'never',
  });
  files.set(EF.AUTH_CERT, {
    kind: 'binary',
    content: withFiller(der(card.auth.certificate)),
    read: authCertRead,
  });
  files.set(EF.AUTH_CA_CERT, {
    kind: 'binary',
    content: withFiller(der(card.authCaCertificate)),
    read: 'always',
  });
  files.set(EF.AUTH_KEY, { kind: 'key', pin: 'auth' });
  files.set(EF.AUTH_PIN, { kind: 'pin', pin: 'auth' });
  if (card.sign) {
    files.set(EF.SIGN_CERT, {
      kind: 'binary',
      content: withFiller(der(card.sign.certificate)),
      read: 'sign',
    });
    files.set(EF.SIGN_KEY, { kind: 'key', pin: 'sign' });
    files.set(EF.SIGN_PIN, { kind: 'pin', pin: 'sign' });
  }
  return files;
}
