// Runs a VirtualCard as a vpcd client (the vpicc role), so pcscd with vsmartcard-vpcd shows
// it as a card in "Virtual PCD 00 00" to every PC/SC program, OpenSC included (spec §14).
// Framing: 2-byte big-endian length + payload. A 1-byte payload is a control code.
import { connect, type Socket } from 'node:net';
import { toHex } from './apdu.ts';
import type { VirtualCard } from './emulator/virtual-card.ts';

export const VPCD_DEFAULT_HOST = '127.0.0.1';
export const VPCD_DEFAULT_PORT = 35963;

const POWER_OFF = 0x00;
const POWER_ON = 0x01;
const RESET = 0x02;
const GET_ATR = 0x04;

export interface VpcdOptions {
  host?: string;
  port?: number;
  /** Delay before reconnecting after vpcd closes or refuses the connection. */
  reconnectMs?: number;
  log?: (line: string) => void;
}

export interface VpcdClient {
  close(): void;
}

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.length + 2);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** Serves one card to vpcd until close(); reconnects when vpcd restarts. */
export function runVpcdClient(card: VirtualCard, options: VpcdOptions = {}): VpcdClient {
  const host = options.host ?? VPCD_DEFAULT_HOST;
  const port = options.port ?? VPCD_DEFAULT_PORT;
  const log = options.log ?? (() => {});
  let closed = false;
  let socket: Socket | null = null;
  let timer: NodeJS.Timeout | null = null;
  let waitingLogged = false;

  const start = () => {
    let buffer = Buffer.alloc(0);
    let chain: Promise<void> = Promise.resolve(); // answers leave in the order commands came
    const s = connect({ host, port });
    socket = s;
    s.on('connect', () => {
      waitingLogged = false;
      log(`connected to vpcd at ${host}:${port}`);
    });
    s.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2) {
        const len = buffer.readUInt16BE(0);
        if (buffer.length < 2 + len) break;
        const payload = new Uint8Array(buffer.subarray(2, 2 + len));
        buffer = buffer.subarray(2 + len);
        chain = chain.then(() => handle(s, payload));
      }
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (!waitingLogged) log(`vpcd not reachable at ${host}:${port} (${e.code ?? e.message}); retrying…`);
      waitingLogged = true;
    });
    s.on('close', () => {
      card.reset();
      if (!closed) timer = setTimeout(start, options.reconnectMs ?? 1000);
    });
  };

  const handle = async (s: Socket, payload: Uint8Array) => {
    if (payload.length === 1) {
      const code = payload[0];
      if (code === POWER_OFF || code === POWER_ON || code === RESET) card.reset();
      else if (code === GET_ATR) s.write(frame(card.atr));
      return;
    }
    if (payload.length === 0) return;
    const response = await card.transmit(payload);
    // APDUs are logged as instruction bytes only: data may hold a PIN or personal data.
    log(`APDU ${toHex(payload.subarray(0, 4))} -> ${toHex(response.subarray(response.length - 2))}`);
    s.write(frame(response));
  };

  start();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.destroy();
    },
  };
}
