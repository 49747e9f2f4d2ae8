// ISO 7816-4 short APDUs: command encode/decode, response parse, status words, Transport.
// Only short APDUs: the JPKI flow never needs extended length (spec §3).

/** Anything that can carry one command APDU to a card and bring back its response APDU. */
export interface Transport {
  transmit(command: Uint8Array): Promise<Uint8Array>;
}

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Lc is its length); absent or empty means no Lc field. */
  data?: Uint8Array;
  /** Expected response length 1–256 (256 is sent as 00); absent means no Le field. */
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

export class ApduFormatError extends Error {
  override name = 'ApduFormatError';
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new ApduFormatError(`${name} must be a byte, got ${v}`);
}

/** Encodes a command as case 1 (header), 2 (Le), 3 (Lc data) or 4 (Lc data Le). */
export function encodeCommand(c: CommandApdu): Uint8Array {
  checkByte('CLA', c.cla);
  checkByte('INS', c.ins);
  checkByte('P1', c.p1);
  checkByte('P2', c.p2);
  const data = c.data ?? new Uint8Array(0);
  if (data.length > 255)
    throw new ApduFormatError(`short APDU data is at most 255 bytes, got ${data.length}`);
  if (c.le !== undefined && (!Number.isInteger(c.le) || c.le < 1 || c.le > 256)) {
    throw new ApduFormatError(`Le must be 1–256, got ${c.le}`);
  }
  const out: number[] = [c.cla, c.ins, c.p1, c.p2];
  if (data.length > 0) out.push(data.length, ...data);
  if (c.le !== undefined) out.push(c.le & 0xff);
  return Uint8Array.from(out);
}

/** Decodes a short command APDU; throws ApduFormatError when Lc does not match the body length. */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduFormatError(`command APDU shorter than 4 bytes (${bytes.length})`);
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const head = { cla, ins, p1, p2 };
  if (bytes.length === 4) return head; // case 1
  const b4 = bytes[4]!;
  if (bytes.length === 5) return { ...head, le: b4 === 0 ? 256 : b4 }; // case 2
  // Case 3/4: b4 is Lc; a zero Lc with more bytes would be the extended form, which we do not speak.
  if (b4 === 0) throw new ApduFormatError('extended-length APDUs are not supported');
  const end = 5 + b4;
  if (bytes.length === end) return { ...head, data: bytes.slice(5, end) }; // case 3
  if (bytes.length === end + 1) {
    const le = bytes[end]!;
    return { ...head, data: bytes.slice(5, end), le: le === 0 ? 256 : le }; // case 4
  }
  throw new ApduFormatError(`Lc ${b4} does not match the command length ${bytes.length}`);
}

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError(`response APDU shorter than 2 bytes (${bytes.length})`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** Status words used by the JPKI AP (spec §3). */
export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  NO_RETRY_LIMIT: 0x6300,
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE: 0x6981,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_BLOCKED: 0x6983,
  REFERENCE_BLOCKED: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6a86,
  WRONG_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

const SW_NAMES: Record<number, string> = {
  [SW.OK]: 'success',
  [SW.END_OF_FILE]: 'end of file reached before Le bytes',
  [SW.NO_RETRY_LIMIT]: 'verification failed (no retry limit)',
  [SW.WRONG_LENGTH]: 'wrong length',
  [SW.INCOMPATIBLE_FILE]: 'command incompatible with file structure',
  [SW.SECURITY_NOT_SATISFIED]: 'security status not satisfied',
  [SW.AUTH_BLOCKED]: 'authentication method blocked',
  [SW.REFERENCE_BLOCKED]: 'referenced data blocked',
  [SW.CONDITIONS_NOT_SATISFIED]: 'conditions of use not satisfied',
  [SW.NO_CURRENT_EF]: 'command not allowed (no current EF)',
  [SW.WRONG_DATA]: 'incorrect data',
  [SW.FILE_NOT_FOUND]: 'file or application not found',
  [SW.WRONG_P1P2]: 'incorrect P1-P2',
  [SW.WRONG_OFFSET]: 'offset outside the file',
  [SW.INS_NOT_SUPPORTED]: 'instruction not supported',
  [SW.CLA_NOT_SUPPORTED]: 'class not supported',
};

/** 63 Cx: verification failed, x tries left (x = 0: blocked). */
export function triesFromSw(sw: number): number | undefined {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : undefined;
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

export function swName(sw: number): string {
  const known = SW_NAMES[sw];
  if (known) return known;
  const tries = triesFromSw(sw);
  if (tries !== undefined) return `verification failed, ${tries} tries left`;
  if (sw >> 8 === 0x61) return `${sw & 0xff || 256} more bytes available (GET RESPONSE)`;
  if (sw >> 8 === 0x6c) return `wrong Le, resend with Le = ${sw & 0xff || 256}`;
  return 'unknown status';
}

export function toHex(bytes: Uint8Array, sep = ''): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(sep);
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new ApduFormatError(`not hex: ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/** Sends a command and parses the response. */
export async function exchange(transport: Transport, command: CommandApdu): Promise<ResponseApdu> {
  return parseResponse(await transport.transmit(encodeCommand(command)));
}
