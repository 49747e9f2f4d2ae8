// One card step = one dialog record in memory, found by a random id and guarded by a random
// per-dialog form token. It holds what the first dialog produced (certificate and signature —
// never a password) until the second dialog finishes, and expires with the portal's nonce.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClientErrorCode } from '../card/errors.ts';
import type { Lang, Mode } from './binding.ts';
import type { SignedHalf } from './token.ts';

/** What the client posts to the portal instead of a token: the contract's list (card/errors.ts). */
export type ErrorCode = ClientErrorCode;

/** What the last action left to say, kept so that a language switch can say it again. */
export type Notice =
  | { kind: 'format' }
  | { kind: 'empty' }
  | { kind: 'wrong'; triesLeft: number }
  | { kind: 'different_card' }
  | { kind: 'card_error' };

export interface Dialog {
  id: string;
  token: string;
  origin: string;
  nonce: string;
  returnUrl: string;
  mode: Mode;
  lang: Lang;
  step: 'sign' | 'auth';
  expiresAt: number;
  /** SHA-256 of the auth certificate of the card used in dialog 1. */
  cardRef: string | null;
  sign: SignedHalf | null;
  notice: Notice | null;
  /** The code Cancel posts back from the state last shown (no_card, blocked…); else cancelled. */
  cancelCode: ErrorCode;
}

const MAX_OPEN_DIALOGS = 50;

export class DialogStore {
  readonly #dialogs = new Map<string, Dialog>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMinutes: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMinutes * 60_000;
    this.#now = now;
  }

  create(fields: Pick<Dialog, 'origin' | 'nonce' | 'returnUrl' | 'mode' | 'lang'>): Dialog {
    this.sweep();
    // A page that keeps opening dialogs cannot grow memory: the oldest gives way.
    while (this.#dialogs.size >= MAX_OPEN_DIALOGS) {
      const oldest = this.#dialogs.keys().next().value;
      if (oldest === undefined) break;
      this.#dialogs.delete(oldest);
    }
    const dialog: Dialog = {
      ...fields,
      id: randomBytes(16).toString('base64url'),
      token: randomBytes(32).toString('base64url'),
      step: fields.mode === 'register' ? 'sign' : 'auth',
      expiresAt: this.#now() + this.#ttlMs,
      cardRef: null,
      sign: null,
      notice: null,
      cancelCode: 'cancelled',
    };
    this.#dialogs.set(dialog.id, dialog);
    return dialog;
  }

  get(id: string): Dialog | undefined {
    const d = this.#dialogs.get(id);
    if (!d) return undefined;
    if (d.expiresAt <= this.#now()) {
      this.#dialogs.delete(id);
      return undefined;
    }
    return d;
  }

  /** Ends the dialog; its result has been handed to the browser. */
  finish(id: string): void {
    this.#dialogs.delete(id);
  }

  sweep(): void {
    const now = this.#now();
    for (const [id, d] of this.#dialogs) if (d.expiresAt <= now) this.#dialogs.delete(id);
  }

  get size(): number {
    return this.#dialogs.size;
  }
}

export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
