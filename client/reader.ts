// The card reader as the client's pages and dialogs use it, over the card library's readers
// (card/reader.ts VirtualReader, card/pcsc.ts). Adds what the client needs on top: one card
// session at a time, a fresh connection per step (disconnect resets the card, ending every
// VERIFY — spec §5), and a state summary for the status page.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CardError, JpkiCard } from '../card/jpki.ts';
import { openPcsc, type PcscContext } from '../card/pcsc.ts';
import { type Reader as CardReader, VirtualReader } from '../card/reader.ts';

export interface CardChoice {
  id: string;
  description: { en: string; ja: string };
}

export interface ReaderState {
  kind: 'virtual' | 'pcsc';
  /** The reader's name (a PC/SC reader's own name). */
  name: string;
  available: boolean;
  /** Why the reader is not available. */
  reason?: string;
  /** Virtual reader: the inserted card's id, or null when the slot is empty. */
  cardId: string | null;
  /** Virtual reader: the cards that can be put in. */
  choices: CardChoice[];
}

export interface Reader {
  state(): Promise<ReaderState>;
  /**
   * Connects to the card and runs `fn` with the reader to itself (other callers wait); always
   * disconnects afterwards. Throws CardError no_reader / no_card.
   */
  withCard<T>(fn: (card: JpkiCard) => Promise<T>): Promise<T>;
}

abstract class SerialReader implements Reader {
  #queue: Promise<unknown> = Promise.resolve();
  abstract state(): Promise<ReaderState>;
  protected abstract reader(): Promise<CardReader>;

  withCard<T>(fn: (card: JpkiCard) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      const connection = await (await this.reader()).connect();
      try {
        return await fn(new JpkiCard(connection));
      } finally {
        await connection.disconnect().catch(() => undefined);
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** The demo reader: card files in CARD_DIR; which one is inserted is shared with `npm run card`. */
export class ClientVirtualReader extends SerialReader {
  readonly inner: VirtualReader;

  constructor(readonly cardDir: string) {
    super();
    this.inner = new VirtualReader(cardDir);
  }

  protected async reader(): Promise<CardReader> {
    if (!(await this.#dirExists())) throw new CardError('no_reader', `no card directory at ${this.cardDir}`);
    return this.inner;
  }

  async #dirExists(): Promise<boolean> {
    return (await stat(this.cardDir).catch(() => null))?.isDirectory() ?? false;
  }

  async state(): Promise<ReaderState> {
    const base = { kind: 'virtual' as const, name: this.inner.name };
    if (!(await this.#dirExists())) {
      return {
        ...base,
        available: false,
        reason: `no card directory at ${this.cardDir}`,
        cardId: null,
        choices: [],
      };
    }
    const cards = await this.inner.listCards();
    const id = await this.inner.insertedCardId();
    return {
      ...base,
      available: true,
      cardId: id !== null && cards.some((c) => c.id === id) ? id : null,
      choices: cards.map((c) => ({ id: c.id, description: c.description })),
    };
  }

  insert(id: string | null): Promise<void> {
    return id === null ? this.inner.remove() : this.inner.insert(id);
  }

  /**
   * On a fresh data directory nothing has been inserted yet: put the "default" demo card in,
   * as the architecture promises a reader holding a demo card. A removed card stays removed.
   */
  async insertDefaultIfNeverChosen(): Promise<void> {
    const stateFile = await stat(join(this.cardDir, 'reader.json')).catch(() => null);
    if (stateFile) return;
    const cards = await this.inner.listCards().catch(() => []);
    const first = cards.find((c) => c.id === 'default') ?? cards[0];
    if (first) await this.inner.insert(first.id);
  }
}

/** A real reader through pcscd (spec §14): the first reader PC/SC reports. */
export class ClientPcscReader extends SerialReader {
  #context: PcscContext | null = null;
  #reason = 'PC/SC not opened yet';

  async open(): Promise<void> {
    const r = await openPcsc();
    if (r.ok) {
      this.#context = r.context;
      await this.#firstReader();
    } else this.#reason = r.reason;
  }

  /** pcscd reports its readers asynchronously after the context opens: give it a moment. */
  async #firstReader(timeoutMs = 2000): Promise<CardReader | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const first = this.#context?.readers()[0];
      if (first || !this.#context || Date.now() >= deadline) return first;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.#context?.close();
  }

  protected async reader(): Promise<CardReader> {
    const first = await this.#firstReader();
    if (!first) throw new CardError('no_reader', this.#context ? 'no card reader connected' : this.#reason);
    return first;
  }

  async state(): Promise<ReaderState> {
    const first = this.#context?.readers()[0];
    return first
      ? { kind: 'pcsc', name: first.name, available: true, cardId: null, choices: [] }
      : {
          kind: 'pcsc',
          name: 'PC/SC',
          available: false,
          reason: this.#context ? 'no card reader connected' : this.#reason,
          cardId: null,
          choices: [],
        };
  }
}
