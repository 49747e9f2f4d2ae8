// Transport wrappers: T=0 style 61xx/6Cxx handling, APDU tracing with secrets masked,
// and a guard that keeps the Individual Number applications out of reach.
import {
  decodeCommand,
  encodeCommand,
  encodeResponse,
  parseResponse,
  type Transport,
  toHex,
} from './apdu.ts';

const MAX_CHAINED_RESPONSES = 64;

/**
 * Resolves `61 xx` (fetch with GET RESPONSE, concatenating) and `6C xx` (resend the same
 * command with Le = xx), which a real reader/T=0 stack may produce (spec §3).
 */
export function withGetResponse(inner: Transport): Transport {
  return {
    async transmit(command) {
      let raw = await inner.transmit(command);
      let r = parseResponse(raw);
      if (r.sw >> 8 === 0x6c) {
        const c = decodeCommand(command);
        raw = await inner.transmit(encodeCommand({ ...c, le: r.sw & 0xff || 256 }));
        r = parseResponse(raw);
      }
      if (r.sw >> 8 !== 0x61) return raw;
      const parts: Uint8Array[] = [r.data];
      for (let i = 0; i < MAX_CHAINED_RESPONSES && r.sw >> 8 === 0x61; i++) {
        const cla = command[0]! & 0x80 ? 0x00 : command[0]!; // GET RESPONSE is an ISO (CLA 00) command
        r = parseResponse(await inner.transmit(Uint8Array.from([cla, 0xc0, 0x00, 0x00, r.sw & 0xff])));
        parts.push(r.data);
      }
      const total = parts.reduce((n, p) => n + p.length, 0);
      const data = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        data.set(p, off);
        off += p.length;
      }
      return encodeResponse(data, r.sw);
    },
  };
}

const SECRET_INS = new Set([0x20, 0x24]); // VERIFY, CHANGE REFERENCE DATA

/** Renders a command for a trace, with the data field of VERIFY / CHANGE REFERENCE DATA masked. */
export function traceCommand(command: Uint8Array): string {
  if (command.length > 5 && SECRET_INS.has(command[1]!)) {
    return `${toHex(command.subarray(0, 5), ' ')} ** (${command[4]} bytes masked)`;
  }
  return toHex(command, ' ');
}

export function traceResponse(response: Uint8Array): string {
  if (response.length <= 2) return toHex(response, ' ');
  return `[${response.length - 2} bytes] ${toHex(response.subarray(response.length - 2), ' ')}`;
}

/** Logs every exchange through `log`; response data is shown as a length only (it may be personal data). */
export function withTrace(inner: Transport, log: (line: string) => void): Transport {
  return {
    async transmit(command) {
      log(`> ${traceCommand(command)}`);
      const response = await inner.transmit(command);
      log(`< ${traceResponse(response)}`);
      return response;
    },
  };
}

/** AIDs of the applications holding the Individual Number (spec §0, §1). */
export const FORBIDDEN_AIDS: readonly string[] = [
  'D3921000310001010408', // Text AP (券面事項入力補助AP)
  'D3921000310001010402', // card-face AP (券面事項確認AP)
];

export class ForbiddenApplicationError extends Error {
  override name = 'ForbiddenApplicationError';
}

/** Refuses to send a SELECT of an application that holds the Individual Number. */
export function withForbiddenAidGuard(inner: Transport): Transport {
  return {
    async transmit(command) {
      if (command.length >= 5 && command[1] === 0xa4 && command[2] === 0x04) {
        const aid = toHex(command.subarray(5, 5 + command[4]!));
        if (FORBIDDEN_AIDS.some((f) => aid.startsWith(f))) {
          throw new ForbiddenApplicationError(
            'refusing to select an application holding the Individual Number',
          );
        }
      }
      return inner.transmit(command);
    },
  };
}
