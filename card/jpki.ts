// The JPKI AP seen from the host: the card API the client software uses (spec §3–§6).
// Works over any Transport: the emulator, PC/SC, or a vpcd-backed reader.
import { createHash } from 'node:crypto';
import {
  type CommandApdu,
  exchange,
  type ResponseApdu,
  SW,
  swHex,
  swName,
  type Transport,
  triesFromSw,
} from './apdu.ts';
import { readHeader } from './der.ts';
import { CardError } from './errors.ts';
import { isValidAuthPin, isValidSignPassword, normalizeSignPassword } from './pin.ts';
import { ForbiddenApplicationError, withForbiddenAidGuard, withGetResponse } from './transport.ts';

export { CardError, type CardErrorCode } from './errors.ts';
export {
  AUTH_PIN_MAX_TRIES,
  isValidAuthPin,
  isValidSignPassword,
  normalizeSignPassword,
  SIGN_PASSWORD_MAX_TRIES,
} from './pin.ts';

import { AUTH_PIN_MAX_TRIES, SIGN_PASSWORD_MAX_TRIES } from './pin.ts';

export const JPKI_AID = Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);

const EF = {
  SIGN_CERT: 0x0001,
  TOKEN_INFO: 0x0006,
  AVAILABILITY: 0x0008,
  AUTH_CERT: 0x000a,
  AUTH_KEY: 0x0017,
  AUTH_PIN: 0x0018,
  SIGN_KEY: 0x001a,
  SIGN_PIN: 0x001b,
} as const;

/** SHA-256 DigestInfo prefix (spec §3). */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
  0x20,
]);

export function sha256DigestInfo(message: Uint8Array): Uint8Array {
  const hash = createHash('sha256').update(message).digest();
  const out = new Uint8Array(51);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(hash, 19);
  return out;
}

export type PinStatus = { triesLeft: number } | { blocked: true };
export type VerifyResult = { result: 'ok' } | { result: 'wrong'; triesLeft: number } | { result: 'blocked' };

const MAX_CERT_LENGTH = 0x7fff; // READ BINARY offsets are 15 bits
const CHUNK = 256;

function isBlockedSw(sw: number): boolean {
  return sw === 0x63c0 || sw === SW.AUTH_BLOCKED || sw === SW.REFERENCE_BLOCKED;
}

export class JpkiCard {
  readonly #transport: Transport;

  /** `transport` may answer 61xx/6Cxx; the card API resolves them itself. */
  constructor(transport: Transport) {
    this.#transport = withGetResponse(withForbiddenAidGuard(transport));
  }

  async #send(command: CommandApdu): Promise<ResponseApdu> {
    try {
      return await exchange(this.#transport, command);
    } catch (e) {
      if (e instanceof CardError) throw e;
      if (e instanceof ForbiddenApplicationError) throw new CardError('card_error', e.message, { cause: e });
      throw new CardError('card_error', `card communication failed: ${(e as Error).message}`, { cause: e });
    }
  }

  #fail(what: string, sw: number): CardError {
    if (sw === SW.SECURITY_NOT_SATISFIED) {
      return new CardError('not_verified', `${what}: ${swName(sw)} (${swHex(sw)})`, { sw });
    }
    return new CardError('card_error', `${what}: ${swName(sw)} (${swHex(sw)})`, { sw });
  }

  async #selectEf(fid: number, what: string, missing: CardError | null = null): Promise<void> {
    const r = await this.#send({
      cla: 0,
      ins: 0xa4,
      p1: 0x02,
      p2: 0x0c,
      data: Uint8Array.of(fid >> 8, fid & 0xff),
    });
    if (r.sw === SW.OK) return;
    if (r.sw === SW.FILE_NOT_FOUND && missing) throw missing;
    throw this.#fail(`select ${what}`, r.sw);
  }

  /** Selects the JPKI AP. A card without it is not a My Number card (or is one being misread). */
  async open(): Promise<void> {
    const r = await this.#send({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID });
    if (r.sw !== SW.OK) {
      throw new CardError('not_jpki_card', `the card has no JPKI application (${swHex(r.sw)})`, { sw: r.sw });
    }
  }

  async #readSmall(fid: number, what: string, length: number): Promise<Uint8Array> {
    await this.#selectEf(fid, what);
    const r = await this.#send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: length });
    if (r.sw !== SW.OK && r.sw !== SW.END_OF_FILE) throw this.#fail(`read ${what}`, r.sw);
    return r.data;
  }

  /** EF 0006 label, trailing spaces removed (JPKIAPICCTOKEN2 for a physical card). */
  async tokenLabel(): Promise<string> {
    const data = await this.#readSmall(EF.TOKEN_INFO, 'token information', 32);
    return new TextDecoder('latin1').decode(data).replace(/[ \0]+$/, '');
  }

  /** EF 0008 byte 0 = 8F when the sign certificate is present (absent for holders under 15). */
  async hasSignCertificate(): Promise<boolean> {
    const data = await this.#readSmall(EF.AVAILABILITY, 'certificate availability', 3);
    return data[0] === 0x8f;
  }

  async #pinStatus(fid: number, max: number, what: string, missing: CardError | null): Promise<PinStatus> {
    await this.#selectEf(fid, what, missing);
    const r = await this.#send({ cla: 0, ins: 0x20, p1: 0x00, p2: 0x80 });
    // 90 00: already verified in this session, so the counter is at its maximum.
    if (r.sw === SW.OK) return { triesLeft: max };
    if (isBlockedSw(r.sw)) return { blocked: true };
    const tries = triesFromSw(r.sw);
    if (tries !== undefined) return { triesLeft: tries };
    throw this.#fail(`query ${what}`, r.sw);
  }

  async #verify(fid: number, secret: string, what: string, missing: CardError | null): Promise<VerifyResult> {
    await this.#selectEf(fid, what, missing);
    const r = await this.#send({
      cla: 0,
      ins: 0x20,
      p1: 0x00,
      p2: 0x80,
      data: new TextEncoder().encode(secret),
    });
    if (r.sw === SW.OK) return { result: 'ok' };
    if (isBlockedSw(r.sw)) return { result: 'blocked' };
    const tries = triesFromSw(r.sw);
    if (tries !== undefined) return { result: 'wrong', triesLeft: tries };
    throw this.#fail(`verify ${what}`, r.sw);
  }

  #noSignCert(): CardError {
    return new CardError('no_sign_certificate', 'this card has no signature certificate');
  }

  /** Tries left for the sign password; costs no try. */
  signPasswordStatus(): Promise<PinStatus> {
    return this.#pinStatus(EF.SIGN_PIN, SIGN_PASSWORD_MAX_TRIES, 'sign password', this.#noSignCert());
  }

  /** Tries left for the auth PIN; costs no try. */
  authPinStatus(): Promise<PinStatus> {
    return this.#pinStatus(EF.AUTH_PIN, AUTH_PIN_MAX_TRIES, 'auth PIN', null);
  }

  /** Upper-cases, checks the format locally (a malformed value would cost a try), then VERIFYs. */
  verifySignPassword(password: string): Promise<VerifyResult> {
    const pw = normalizeSignPassword(password);
    if (!isValidSignPassword(pw)) {
      return Promise.reject(new CardError('invalid_pin_format', 'the sign password has the wrong format'));
    }
    return this.#verify(EF.SIGN_PIN, pw, 'sign password', this.#noSignCert());
  }

  verifyAuthPin(pin: string): Promise<VerifyResult> {
    if (!isValidAuthPin(pin)) {
      return Promise.reject(new CardError('invalid_pin_format', 'the auth PIN must be 4 digits'));
    }
    return this.#verify(EF.AUTH_PIN, pin, 'auth PIN', null);
  }

  /**
   * Reads a DER object from a transparent EF larger than it (spec §4): the first chunk gives
   * the BER header, the rest is read in chunks of at most 256 bytes. Tolerates short reads and
   * stops at 6B00/6282.
   */
  async #readDer(fid: number, what: string, missing: CardError | null): Promise<Uint8Array> {
    await this.#selectEf(fid, what, missing);
    const parts: Uint8Array[] = [];
    let have = 0;
    let total: number | undefined;
    while (total === undefined || have < total) {
      if (have > MAX_CERT_LENGTH)
        throw new CardError('card_error', `${what} is larger than a card file can be`);
      const want = total === undefined ? CHUNK : Math.min(CHUNK, total - have);
      const r = await this.#send({ cla: 0, ins: 0xb0, p1: have >> 8, p2: have & 0xff, le: want });
      if (r.sw !== SW.OK && r.sw !== SW.END_OF_FILE && r.sw !== SW.WRONG_OFFSET) {
        throw this.#fail(`read ${what}`, r.sw);
      }
      parts.push(r.data);
      have += r.data.length;
      if (total === undefined) {
        const all = concat(parts, have);
        let h: ReturnType<typeof readHeader>;
        try {
          h = readHeader(all);
        } catch (e) {
          throw new CardError('card_error', `${what} is not a DER object: ${(e as Error).message}`);
        }
        if (h) {
          if (h.tag !== 0x30)
            throw new CardError('card_error', `${what} is not a DER SEQUENCE (no certificate?)`);
          total = h.headerLength + h.length;
          if (total > MAX_CERT_LENGTH) throw new CardError('card_error', `${what} claims ${total} bytes`);
        }
      }
      if (r.sw !== SW.OK || r.data.length === 0) break;
    }
    const all = concat(parts, have);
    if (total === undefined || have < total) throw new CardError('card_error', `${what} is truncated`);
    return all.slice(0, total);
  }

  /** EF 0001; needs a successful verifySignPassword first. */
  readSignCertificate(): Promise<Uint8Array> {
    return this.#readDer(EF.SIGN_CERT, 'sign certificate', this.#noSignCert());
  }

  /** EF 000A; readable without PIN on a physical card (smartphone tokens want the auth PIN first). */
  readAuthCertificate(): Promise<Uint8Array> {
    return this.#readDer(EF.AUTH_CERT, 'auth certificate', null);
  }

  async #sign(
    keyFid: number,
    message: Uint8Array,
    what: string,
    missing: CardError | null,
  ): Promise<Uint8Array> {
    await this.#selectEf(keyFid, what, missing);
    const r = await this.#send({
      cla: 0x80,
      ins: 0x2a,
      p1: 0x00,
      p2: 0x80,
      data: sha256DigestInfo(message),
      le: 256,
    });
    if (r.sw !== SW.OK) throw this.#fail(`sign with ${what}`, r.sw);
    if (r.data.length !== 256)
      throw new CardError('card_error', `${what} returned ${r.data.length} bytes, not 256`);
    return r.data;
  }

  /** RS256 signature over `message` by the sign key (EF 001A); needs verifySignPassword first. */
  signWithSignKey(message: Uint8Array): Promise<Uint8Array> {
    return this.#sign(EF.SIGN_KEY, message, 'sign key', this.#noSignCert());
  }

  /** RS256 signature over `message` by the auth key (EF 0017); needs verifyAuthPin first. */
  signWithAuthKey(message: Uint8Array): Promise<Uint8Array> {
    return this.#sign(EF.AUTH_KEY, message, 'auth key', null);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
