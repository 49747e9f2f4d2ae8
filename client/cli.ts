// Command-line use for scripts and support staff. Passwords come from a prompt with echo off,
// or from stdin lines when stdin is not a terminal — never from arguments (they would end up
// in shell history and process listings).
import { createInterface } from 'node:readline';
import { isValidAuthPin, isValidSignPassword, normalizeSignPassword } from '../card/jpki.ts';
import { signedMessage } from '../card/token.ts';
import { isValidNonce, type Mode, parseOrigin } from './binding.ts';
import { describeCard, probe, runStep, type Secret } from './card-steps.ts';
import type { ClientConfig } from './config.ts';
import type { ErrorCode } from './dialogs.ts';
import { ClientVirtualReader, type Reader } from './reader.ts';
import { buildToken, type SignedHalf } from './token.ts';

export class UsageError extends Error {}

const USAGE = `usage:
  npm run client                                   start the local server (password dialogs)
  npm run client -- status                         show the reader and card state
  npm run client -- sign --origin <origin> --nonce <nonce> [--mode register|authenticate] [--card <id>]
      prints the card token (JSON) on stdout. Passwords: asked with echo off, or read from
      stdin (line 1 the signature password in register mode, then the user ID PIN).
exit codes: 0 token printed, 2 the card step failed (the error code is printed on stderr), 64 usage`;

function parseFlags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(a)}\n${USAGE}`);
    const name = m[1]!;
    if (['password', 'pin', 'sign-password', 'auth-pin'].includes(name)) {
      throw new UsageError(
        'passwords are never taken from arguments: type them at the prompt or pipe them on stdin',
      );
    }
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value\n${USAGE}`);
    out[name] = value;
  }
  return out;
}

/** Lines of stdin, one per request; or a prompt with echo off on a terminal. */
function secretSource(): { next(prompt: string): Promise<string | null>; close(): void } {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, terminal: false });
    const it = rl[Symbol.asyncIterator]();
    return {
      next: async () => {
        const r = await it.next();
        return r.done ? null : String(r.value).replace(/\r$/, '');
      },
      close: () => rl.close(),
    };
  }
  return {
    next: (prompt) =>
      new Promise((resolve) => {
        process.stderr.write(prompt);
        const stdin = process.stdin;
        stdin.setRawMode(true);
        stdin.resume();
        let value = '';
        const done = (result: string | null) => {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(result);
        };
        const onData = (chunk: Buffer) => {
          for (const ch of chunk.toString('utf8')) {
            if (ch === '\r' || ch === '\n') return done(value);
            if (ch === '\u0003' || ch === '\u0004') return done(null); // Ctrl-C / Ctrl-D
            if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
            else if (ch >= ' ') value += ch;
          }
        };
        stdin.on('data', onData);
      }),
    close: () => {},
  };
}

function fail(code: ErrorCode | 'wrong_password', detail: string): number {
  console.error(`error: ${code} — ${detail}`);
  return 2;
}

async function status(config: ClientConfig, reader: Reader): Promise<number> {
  const state = await reader.state();
  const card = await describeCard(reader);
  const lines = [
    `reader: ${state.name} (${state.kind === 'virtual' ? `virtual; cards in ${config.cardDir}` : 'PC/SC'})${state.available ? '' : ` — not available: ${state.reason}`}`,
    `card: ${state.cardId ?? 'none'}`,
  ];
  if (card.state === 'ready') {
    lines.push(
      `card type: Individual Number card (token label ${card.tokenLabel})`,
      `signature certificate: ${card.hasSignCertificate ? 'present' : 'absent'}`,
      `signature password tries left: ${card.signTries ?? '-'}`,
      `user ID PIN tries left: ${card.authTries}`,
    );
  } else if (state.cardId !== null) {
    lines.push(`card state: ${card.state}`);
  }
  if (state.kind === 'virtual')
    lines.push(`cards available: ${state.choices.map((c) => c.id).join(', ') || 'none'}`);
  console.log(lines.join('\n'));
  return 0;
}

async function sign(args: string[], config: ClientConfig, reader: Reader): Promise<number> {
  const flags = parseFlags(args);
  for (const k of Object.keys(flags)) {
    if (!['origin', 'nonce', 'mode', 'card'].includes(k))
      throw new UsageError(`unknown option --${k}\n${USAGE}`);
  }
  const origin = parseOrigin(flags.origin, config.devOrigins);
  if (!origin)
    throw new UsageError(`--origin must be an origin such as https://portal.example.go.jp\n${USAGE}`);
  if (!isValidNonce(flags.nonce)) throw new UsageError('--nonce must be 44–128 characters of base64 text');
  const mode = (flags.mode ?? 'register') as Mode;
  if (mode !== 'register' && mode !== 'authenticate')
    throw new UsageError('--mode is register or authenticate');
  if (flags.card !== undefined) {
    if (!(reader instanceof ClientVirtualReader))
      throw new UsageError('--card works with the virtual reader only');
    await reader.insert(flags.card);
  }

  const message = signedMessage(origin, flags.nonce);
  const input = secretSource();
  try {
    let sign: SignedHalf | null = null;
    let cardRef: string | null = null;
    const steps: Secret[] = mode === 'register' ? ['sign', 'auth'] : ['auth'];
    for (const secret of steps) {
      const p = await probe(reader, secret);
      if (p.state !== 'ready') return fail(p.state, 'the card cannot be used');
      if (secret === 'sign' && !p.hasSignCertificate)
        return fail('no_sign_certificate', 'the card has no signature certificate');
      if (!p.pin || 'blocked' in p.pin) {
        return secret === 'sign'
          ? fail(
              'sign_password_blocked',
              'unblock it at the municipal office or a convenience store terminal',
            )
          : fail('auth_pin_blocked', 'unblock it at the municipal office');
      }
      const label =
        secret === 'sign'
          ? 'Digital Signature PIN code (6–16 letters and digits)'
          : 'Digital User ID PIN code (4 digits)';
      const typed = await input.next(`${label}, ${p.pin.triesLeft} tries left: `);
      if (typed === null) return fail('cancelled', 'no password given');
      const value = secret === 'sign' ? normalizeSignPassword(typed) : typed;
      if (secret === 'sign' ? !isValidSignPassword(value) : !isValidAuthPin(value)) {
        return fail(
          'bad_request',
          `the ${secret === 'sign' ? 'signature password' : 'user ID PIN'} has the wrong format; nothing was sent to the card`,
        );
      }
      const r = await runStep(reader, secret, value, message, secret === 'auth' ? cardRef : null);
      if (r.result === 'wrong') return fail('wrong_password', `${r.triesLeft} tries left`);
      if (r.result === 'blocked')
        return fail(secret === 'sign' ? 'sign_password_blocked' : 'auth_pin_blocked', 'now blocked');
      if (r.result === 'different_card') return fail('card_error', 'a different card was inserted');
      if (r.result === 'error') return fail(r.code, 'the card step failed');
      if (secret === 'sign') {
        sign = { certificate: r.certificate, signature: r.signature };
        cardRef = r.cardRef;
      } else {
        console.log(buildToken({ certificate: r.certificate, signature: r.signature }, sign));
      }
    }
    return 0;
  } finally {
    input.close();
  }
}

export async function runCli(
  command: string,
  args: string[],
  config: ClientConfig,
  reader: Reader,
): Promise<number> {
  switch (command) {
    case 'status':
      if (args.length > 0) throw new UsageError(USAGE);
      return status(config, reader);
    case 'sign':
      return sign(args, config, reader);
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}
