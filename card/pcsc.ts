// Optional PC/SC transport for real readers (spec §14). The native binding
// (@pokusew/pcsclite) is not a dependency: it needs libpcsclite-dev to build, and creating
// its context blocks the event loop for good when pcscd is not running. So it is loaded
// lazily, and only after pcscd's socket has been seen.
import { stat } from 'node:fs/promises';
import { CardError } from './errors.ts';
import type { CardConnection, Reader } from './reader.ts';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
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

/** Says whether PC/SC can be used here, and why not. Never touches the native binding. */
export async function pcscAvailability(socketPath = PCSCD_SOCKET): Promise<PcscAvailability> {
  if (!(await socketExists(socketPath))) {
    return {
      available: false,
      reason: `PC/SC not available: pcscd is not running (no socket at ${socketPath})`,
    };
  }
  return { available: true };
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
export async function openPcsc(socketPath = PCSCD_SOCKET): Promise<PcscOpenResult> {
  const availability = await pcscAvailability(socketPath);
  if (!availability.available) return { ok: false, reason: availability.reason };
  let factory: () => NativeContext;
  try {
    // A variable specifier keeps tsc from resolving the optional, uninstalled module.
    const specifier = BINDING;
    const mod = (await import(specifier)) as { default?: () => NativeContext };
    if (typeof mod.default !== 'function')
      return { ok: false, reason: `PC/SC not available: ${BINDING} has no factory` };
    factory = mod.default;
  } catch (e) {
    return {
      ok: false,
      reason: `PC/SC not available: ${BINDING} cannot be loaded (${(e as Error).message.split('\n')[0]})`,
    };
  }
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
  return { ok: true, context: { readers: () => [...readers.values()], close: () => native.close() } };
}
