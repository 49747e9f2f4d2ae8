// A software JPKI AP spoken by APDUs only (spec §2, §3, §5, §7).
// Volatile state (selection, VERIFY status) lives here; tries left live in the card file
// and are persisted before the answer to every VERIFY that changed them.
import {
  constants,
  createPrivateKey,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import {
  ApduFormatError,
  type CommandApdu,
  decodeCommand,
  encodeResponse,
  SW,
  type Transport,
  toHex,
} from '../apdu.ts';
import { type CardFileData, type KeySlot, MAX_TRIES, type ResponseStyle, saveCardFile } from './card-file.ts';
import { ATR_HEX, buildFileTable, type ElementaryFile, JPKI_AID, type PinName } from './files.ts';

const MAX_SIGN_INPUT = 245; // k − 11 for RSA-2048 with PKCS#1 v1.5 type-1 padding
const MEMORY_FAILURE = 0x6581;
const REFERENCE_NOT_FOUND = 0x6a88;

export interface VirtualCardOptions {
  /** Called with the updated card data whenever tries left change; awaited before answering. */
  persist?: (data: CardFileData) => Promise<void>;
  /** Overrides the card file's response style (test knob). */
  responseStyle?: ResponseStyle;
}

interface Reply {
  data?: Uint8Array;
  sw: number;
}

const sw = (code: number): Reply => ({ sw: code });

export class VirtualCard implements Transport {
  readonly atr = Uint8Array.from(Buffer.from(ATR_HEX, 'hex'));
  readonly #data: CardFileData;
  readonly #files: Map<number, ElementaryFile>;
  readonly #persist: ((data: CardFileData) => Promise<void>) | undefined;
  readonly #style: ResponseStyle;
  readonly #keys = new Map<PinName, KeyObject>();
  #jpkiSelected = false;
  #currentEf: number | null = null;
  #verified = { sign: false, auth: false };
  #pending: Uint8Array | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(data: CardFileData, options: VirtualCardOptions = {}) {
    this.#data = structuredClone(data);
    this.#files = buildFileTable(this.#data);
    this.#persist = options.persist;
    this.#style = options.responseStyle ?? data.responseStyle ?? 'direct';
  }

  /** Opens a card file; every change of tries left is written back to it atomically. */
  static fromFile(path: string, data: CardFileData, options: Omit<VirtualCardOptions, 'persist'> = {}) {
    return new VirtualCard(data, { ...options, persist: (d) => saveCardFile(path, d) });
  }

  get id(): string {
    return this.#data.id;
  }

  /** Card reset / power cycle: clears selection and every VERIFY status (spec §5). */
  reset(): void {
    this.#jpkiSelected = false;
    this.#currentEf = null;
    this.#verified = { sign: false, auth: false };
    this.#pending = null;
  }

  /** Tries left per secret, for listings; not reachable by APDU except through the VERIFY query. */
  triesLeft(): { sign: number | null; auth: number } {
    return { sign: this.#data.sign?.triesLeft ?? null, auth: this.#data.auth.triesLeft };
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    // Commands are processed one at a time, as on a real card.
    const run = this.#queue.then(() => this.#handle(command));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #handle(bytes: Uint8Array): Promise<Uint8Array> {
    const reply = await this.#process(bytes);
    return this.#shape(bytes, reply);
  }

  /** Applies the response-style knob: 61xx (data via GET RESPONSE) or 6Cxx (resend with exact Le). */
  #shape(bytes: Uint8Array, reply: Reply): Uint8Array {
    const data = reply.data ?? new Uint8Array(0);
    const isGetResponse = bytes[1] === 0xc0;
    if (!isGetResponse) this.#pending = null;
    if (data.length > 0 && reply.sw === SW.OK && !isGetResponse) {
      if (this.#style === 'get-response') {
        this.#pending = data;
        return encodeResponse(new Uint8Array(0), 0x6100 | (data.length & 0xff));
      }
      if (this.#style === 'wrong-le') {
        const le = bytes.length === 5 ? bytes[4] || 256 : undefined;
        if (le !== undefined && le !== data.length)
          return encodeResponse(new Uint8Array(0), 0x6c00 | (data.length & 0xff));
      }
    }
    return encodeResponse(data, reply.sw);
  }

  async #process(bytes: Uint8Array): Promise<Reply> {
    if (bytes.length < 4) return sw(SW.WRONG_LENGTH);
    const cla = bytes[0]!;
    if (cla !== 0x00 && cla !== 0x80) return sw(SW.CLA_NOT_SUPPORTED);
    let c: CommandApdu;
    try {
      c = decodeCommand(bytes);
    } catch (e) {
      if (e instanceof ApduFormatError) return sw(SW.WRONG_LENGTH);
      throw e;
    }
    if (cla === 0x80) return c.ins === 0x2a ? this.#sign(c) : sw(SW.INS_NOT_SUPPORTED);
    switch (c.ins) {
      case 0xa4:
        return this.#select(c);
      case 0xb0:
        return this.#readBinary(c);
      case 0x20:
        return this.#verify(c);
      case 0x24:
        return this.#changeReferenceData(c);
      case 0x84:
        return this.#getChallenge(c);
      case 0xc0:
        return this.#getResponse(c);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  #select(c: CommandApdu): Reply {
    const data = c.data;
    if (!data) return sw(SW.WRONG_LENGTH);
    if (c.p1 === 0x04) {
      if (![0x00, 0x04, 0x0c].includes(c.p2)) return sw(SW.WRONG_P1P2);
      if (data.length < 5 || data.length > 16) return sw(SW.WRONG_LENGTH);
      // Every SELECT by AID ends the VERIFY status, the JPKI AP's own included (spec §5).
      this.#verified = { sign: false, auth: false };
      if (toHex(data) !== JPKI_AID) return sw(SW.FILE_NOT_FOUND);
      this.#jpkiSelected = true;
      this.#currentEf = null;
      return sw(SW.OK);
    }
    if (c.p1 === 0x00 || c.p1 === 0x02) {
      if (c.p2 !== 0x00 && c.p2 !== 0x0c) return sw(SW.WRONG_P1P2);
      if (data.length !== 2) return sw(SW.WRONG_LENGTH);
      const fid = (data[0]! << 8) | data[1]!;
      if (c.p1 === 0x00 && fid === 0x3f00) {
        this.#jpkiSelected = false;
        this.#currentEf = null;
        this.#verified = { sign: false, auth: false };
        return sw(SW.OK);
      }
      if (!this.#jpkiSelected) return sw(SW.NO_CURRENT_EF);
      if (!this.#files.has(fid)) return sw(SW.FILE_NOT_FOUND);
      this.#currentEf = fid;
      return sw(SW.OK);
    }
    return sw(SW.WRONG_P1P2);
  }

  /** Resolves P2 = 80 (current EF) or 80+SFI; returns a status word on failure. */
  #efFromReference(p2: number): number | Reply {
    if (!this.#jpkiSelected) return sw(SW.NO_CURRENT_EF);
    if (p2 === 0x80) return this.#currentEf ?? sw(SW.NO_CURRENT_EF);
    if (p2 > 0x80 && p2 <= 0x9e) {
      const fid = p2 & 0x1f;
      return this.#files.has(fid) ? fid : sw(SW.FILE_NOT_FOUND);
    }
    return sw(SW.WRONG_P1P2);
  }

  #readBinary(c: CommandApdu): Reply {
    if (c.data) return sw(SW.WRONG_LENGTH);
    if (!this.#jpkiSelected) return sw(SW.NO_CURRENT_EF);
    let offset: number;
    if (c.p1 & 0x80) {
      const sfi = c.p1 & 0x1f;
      if (c.p1 & 0x60 || sfi === 0) return sw(SW.WRONG_P1P2);
      if (!this.#files.has(sfi)) return sw(SW.FILE_NOT_FOUND);
      this.#currentEf = sfi; // READ BINARY by SFI also selects the EF
      offset = c.p2;
    } else {
      if (this.#currentEf === null) return sw(SW.NO_CURRENT_EF);
      offset = (c.p1 << 8) | c.p2;
    }
    const ef = this.#files.get(this.#currentEf)!;
    if (ef.kind !== 'binary') return sw(SW.INCOMPATIBLE_FILE);
    if (ef.read === 'never' || (ef.read !== 'always' && !this.#verified[ef.read])) {
      return sw(SW.SECURITY_NOT_SATISFIED);
    }
    if (offset >= ef.content.length) return sw(SW.WRONG_OFFSET);
    // A missing Le is read as "up to 256", which is what lenient cards do.
    const n = Math.min(c.le ?? 256, ef.content.length - offset);
    return { data: ef.content.slice(offset, offset + n), sw: SW.OK };
  }

  #slot(pin: PinName): KeySlot | null {
    return pin === 'sign' ? this.#data.sign : this.#data.auth;
  }

  #pinFile(c: CommandApdu): PinName | Reply {
    if (c.p1 !== 0x00) return sw(SW.WRONG_P1P2);
    const fid = this.#efFromReference(c.p2);
    if (typeof fid !== 'number') return fid;
    const ef = this.#files.get(fid)!;
    return ef.kind === 'pin' ? ef.pin : sw(REFERENCE_NOT_FOUND);
  }

  async #verify(c: CommandApdu): Promise<Reply> {
    const pin = this.#pinFile(c);
    if (typeof pin !== 'string') return pin;
    const slot = this.#slot(pin)!;
    // The tries-left query never answers 69 84: OpenSC gives up on the card otherwise (spec §7).
    if (!c.data) return sw(0x63c0 | slot.triesLeft);
    if (slot.triesLeft === 0) return sw(SW.REFERENCE_BLOCKED);
    const given = Buffer.from(c.data);
    const expected = Buffer.from(slot.secret, 'ascii');
    // A malformed value counts as a wrong one (spec §7 [U]); compare without early exit.
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    const before = slot.triesLeft;
    slot.triesLeft = ok ? MAX_TRIES[pin] : slot.triesLeft - 1;
    this.#verified[pin] = ok;
    if (slot.triesLeft !== before) {
      const failed = await this.#save();
      if (failed) return failed;
    }
    return ok ? sw(SW.OK) : sw(0x63c0 | slot.triesLeft);
  }

  async #changeReferenceData(c: CommandApdu): Promise<Reply> {
    if (c.p1 !== 0x01) return sw(SW.WRONG_P1P2);
    const pin = this.#pinFile({ ...c, p1: 0 });
    if (typeof pin !== 'string') return pin;
    if (!c.data) return sw(SW.WRONG_LENGTH);
    if (!this.#verified[pin]) return sw(SW.SECURITY_NOT_SATISFIED);
    const value = Buffer.from(c.data).toString('latin1');
    const valid =
      pin === 'auth' ? /^[0-9]{4}$/.test(value) : /^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{6,16}$/.test(value);
    if (!valid) return sw(SW.WRONG_DATA);
    this.#slot(pin)!.secret = value;
    return (await this.#save()) ?? sw(SW.OK);
  }

  #getChallenge(c: CommandApdu): Reply {
    if (c.p1 !== 0 || c.p2 !== 0) return sw(SW.WRONG_P1P2);
    if (c.data || c.le === undefined) return sw(SW.WRONG_LENGTH);
    return { data: new Uint8Array(randomBytes(c.le)), sw: SW.OK };
  }

  #getResponse(c: CommandApdu): Reply {
    const pending = this.#pending;
    if (!pending) return sw(SW.CONDITIONS_NOT_SATISFIED);
    const n = Math.min(c.le ?? 256, pending.length);
    const rest = pending.subarray(n);
    this.#pending = rest.length > 0 ? rest : null;
    return { data: pending.slice(0, n), sw: rest.length > 0 ? 0x6100 | (rest.length & 0xff) : SW.OK };
  }

  #sign(c: CommandApdu): Reply {
    if (c.p1 !== 0x00) return sw(SW.WRONG_P1P2);
    const fid = this.#efFromReference(c.p2);
    if (typeof fid !== 'number') return fid;
    const ef = this.#files.get(fid)!;
    if (ef.kind !== 'key') return sw(SW.NO_CURRENT_EF);
    if (c.p2 !== 0x80) this.#currentEf = fid;
    if (!this.#verified[ef.pin]) return sw(SW.SECURITY_NOT_SATISFIED);
    if (!c.data || c.data.length > MAX_SIGN_INPUT) return sw(SW.WRONG_LENGTH);
    if (c.le !== undefined && c.le !== 256) return sw(SW.WRONG_LENGTH);
    // privateEncrypt with PKCS#1 padding is exactly type-1 padding + the RSA private operation.
    const signature = privateEncrypt(
      { key: this.#key(ef.pin), padding: constants.RSA_PKCS1_PADDING },
      c.data,
    );
    return { data: new Uint8Array(signature), sw: SW.OK };
  }

  #key(pin: PinName): KeyObject {
    let key = this.#keys.get(pin);
    if (!key) {
      key = createPrivateKey(this.#slot(pin)!.privateKey);
      this.#keys.set(pin, key);
    }
    return key;
  }

  /** Persists the card data; a failed write is reported as a memory failure, like EEPROM trouble. */
  async #save(): Promise<Reply | undefined> {
    if (!this.#persist) return undefined;
    try {
      await this.#persist(structuredClone(this.#data));
      return undefined;
    } catch {
      return sw(MEMORY_FAILURE);
    }
  }
}
