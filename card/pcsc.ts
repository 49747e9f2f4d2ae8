// Optional PC/SC transport for real readers (spec §14). The native binding
// (@pokusew/pcsclite) is not a dependency: it needs libpcsclite-dev to build, and creating
// its context blocks the event loop for good when pcscd is not running. So it is loaded
// lazily, and only after pcscd's socket has been seen.
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { CardError } from './errors.ts';
import type { CardConnection, Reader } from './reader.ts';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

/**
 * The socket libpcsclite will connect to: it honours PCSCLITE_CSOCK_NAME, so the check must look
 * at the same path (a check of the default path would let the binding block on a missing one).
 */
export function pcscdSocketPath(): string {
  return process.env.PCSCLITE_CSOCK_NAME || PCSCD_SOCKET;
}
const BINDING = '@pokusew/pcsclite';
const MAX_RESPONSE = 258; // 256 data bytes + SW1 SW2 for short APDUs

export type PcscAvailability = { available: true } | { available: false; reason: string };

// The binding has no types; these are the few members used here.
interface NativeReader {
  name: string;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_RESET_CARD: number;
  SCARD_STATE_PRESENT: number;
  on(event: 'status', cb: (status: { state: number }) => void): void;
  on(event: 'error' | 'end', cb: (err?: Error) => void): void;
  connect(
    options: { share_mode: number; protocol: number },
    cb: (err: Error | null, protocol: number) => void,
  ): void;
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: Error | null, data: Buffer) => void,
  ): void;
  disconnect(disposition: number, cb: (err: Error | null) => void): void;
  close(): void;
}
interface NativeContext {
  on(event: 'reader', cb: (reader: NativeReader) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  close(): void;
}

async function socketExists(path: string): Promise<boolean> {
  const s = await stat(path).catch(() => null);
  return s?.isSocket() ?? false;
}

const CMD_VERSION = 0x11; // pcsc-lite winscard_msg.h
const PROTOCOL = [4, 4] as const; // client protocol version 4.4 (pcsc-lite ≥ 1.8.24)

/**
 * Asks pcscd for its protocol version, as libpcsclite does first. A socket file alone is not
 * enough: one left by a crashed pcscd, or anything else listening there, would make the
 * binding's context creation block the event loop for good. Resolves with why not, or null.
 */
function pcscdAnswers(path: string, timeoutMs: number): Promise<string | null> {
  const le = endianness() === 'LE';
  const u32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  const request = Buffer.alloc(20);
  u32(request, 12, 0); // header: size of the data, command
  u32(request, CMD_VERSION, 4);
  u32(request, PROTOCOL[0], 8);
  u32(request, PROTOCOL[1], 12);
  u32(request, 0, 16);
  return new Promise((resolve) => {
    let got = 0;
    const s = connect(path);
    const done = (why: string | null) => {
      clearTimeout(timer);
      s.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`nothing answers like pcscd at ${path}`), timeoutMs);
    s.on('connect', () => s.write(request));
    s.on('data', (d) => {
      got += d.length;
      if (got >= 12) done(null); // version_struct {major, minor, rv}
    });
    s.on('error', (e: NodeJS.ErrnoException) =>
      done(`pcscd is not running (${e.code ?? e.message} on ${path})`),
    );
    s.on('close', () => done(`pcscd closed the connection at ${path}`));
  });
}

/** Says whether PC/SC can be used here, and why not. Never touches the native binding. */
export async function pcscAvailability(socketPath = pcscdSocketPath()): Promise<PcscAvailability> {
  if (!(await socketExists(socketPath))) {
    return {
      available: false,
      reason: `PC/SC not available: pcscd is not running (no socket at ${socketPath})`,
    };
  }
  const why = await pcscdAnswers(socketPath, 2000);
  if (why) return { available: false, reason: `PC/SC not available: ${why}` };
  return { available: true };
}

/**
 * `require` as seen from the running program: the script Node was started with (a checkout's
 * client/main.ts, or the downloaded residence-online-client.cjs), or the executable itself when
 * it is a single executable application. So the binding is found in a node_modules folder
 * beside the program, wherever that is.
 */
function programRequire(): NodeJS.Require {
  const program = isSea() ? process.execPath : (process.argv[1] ?? process.execPath);
  return createRequire(join(program, '..', 'program.js'));
}

/** Whether the PC/SC binding is installed where the running program can load it. */
export function pcscBindingPresent(): boolean {
  try {
    programRequire().resolve(BINDING);
    return true;
  } catch {
    return false;
  }
}

class PcscReader implements Reader {
  /** Last SCARD_STATE_* flags reported by the binding's status events. */
  state = 0;

  constructor(readonly native: NativeReader) {}

  get name(): string {
    return this.native.name;
  }

  connect(): Promise<CardConnection> {
    const r = this.native;
    if (!(this.state & r.SCARD_STATE_PRESENT))
      return Promise.reject(new CardError('no_card', `no card in ${r.name}`));
    return new Promise((resolve, reject) => {
      r.connect(
        { share_mode: r.SCARD_SHARE_SHARED, protocol: r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1 },
        (err, protocol) => {
          if (err)
            return reject(
              new CardError('no_card', `cannot connect to the card in ${r.name}`, { cause: err }),
            );
          resolve({
            transmit: (command) =>
              new Promise((ok, fail) =>
                r.transmit(Buffer.from(command), MAX_RESPONSE, protocol, (e, data) =>
                  e
                    ? fail(new CardError('card_error', 'card communication failed', { cause: e }))
                    : ok(new Uint8Array(data)),
                ),
              ),
            // Reset on disconnect: a VERIFY must not outlive this connection (spec §5).
            disconnect: () => new Promise((ok) => r.disconnect(r.SCARD_RESET_CARD, () => ok())),
          });
        },
      );
    });
  }
}

export interface PcscContext {
  /** Readers seen so far (they appear asynchronously after opening). */
  readers(): Reader[];
  close(): void;
}

export type PcscOpenResult = { ok: true; context: PcscContext } | { ok: false; reason: string };

/** Opens PC/SC when pcscd runs and the binding is installed; otherwise says why not. */
export async function openPcsc(socketPath = pcscdSocketPath()): Promise<PcscOpenResult> {
  const availability = await pcscAvailability(socketPath);
  if (!availability.available) return { ok: false, reason: availability.reason };
  let factory: () => NativeContext;
  try {
    // Loaded with require from beside the program (see programRequire): a dynamic import would
    // not work inside a single executable application. The binding is CommonJS.
    const mod = programRequire()(BINDING) as (() => NativeContext) | { default?: () => NativeContext };
    const candidate = typeof mod === 'function' ? mod : mod.default;
    if (typeof candidate !== 'function')
      return { ok: false, reason: `PC/SC not available: ${BINDING} has no factory` };
    factory = candidate;
  } catch (e) {
    return {
      ok: false,
      reason: `PC/SC not available: ${BINDING} cannot be loaded (${(e as Error).message.split('\n')[0]})`,
    };
  }
  // libpcsclite connects to PCSCLITE_CSOCK_NAME or its default: make that the path just checked
  // (it reads the variable once per process, at the first context).
  if (socketPath !== pcscdSocketPath()) process.env.PCSCLITE_CSOCK_NAME = socketPath;
  const native = factory();
  const readers = new Map<string, PcscReader>();
  native.on('reader', (reader) => {
    const wrapped = new PcscReader(reader);
    readers.set(reader.name, wrapped);
    reader.on('status', (status) => {
      wrapped.state = status.state;
    });
    reader.on('end', () => readers.delete(reader.name));
    reader.on('error', () => {});
  });
  native.on('error', () => {});
  // Each reader has its own status watcher; closing only the context leaves them running,
  // which keeps the Node process alive for as long as pcscd runs.
  const close = () => {
    for (const r of readers.values()) r.native.close();
    readers.clear();
    native.close();
  };
  return { ok: true, context: { readers: () => [...readers.values()], close } };
}
