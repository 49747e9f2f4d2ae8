// The card reader as the client sees it. Only a virtual reader exists so far: it holds one of
// the card files in CARD_DIR (spec §7 emulator). The card library has no reader abstraction yet,
// so this small adapter lives here; a PC/SC reader would implement the same interface.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../card/atomic-file.ts';
import { CARD_FILE_SUFFIX, loadCardFile } from '../card/emulator/card-file.ts';
import { VirtualCard } from '../card/emulator/virtual-card.ts';
import { readCardFiles } from '../card/inventory.ts';
import { CardError, JpkiCard } from '../card/jpki.ts';

export interface CardChoice {
  id: string;
  description: { en: string; ja: string };
}

export interface ReaderState {
  kind: 'virtual';
  /** The reader's name, as a PC/SC reader would report it. */
  name: string;
  /** False when the reader itself is missing (no card directory). */
  available: boolean;
  /** The inserted card's id, or null when the slot is empty. */
  cardId: string | null;
  /** Cards that can be put into the virtual reader. */
  choices: CardChoice[];
}

export interface Reader {
  state(): Promise<ReaderState>;
  /**
   * Connects to the inserted card (a fresh connection: selection and VERIFY state reset) and
   * runs `fn` with the reader to itself; other callers wait. Throws CardError no_reader/no_card.
   */
  withCard<T>(fn: (card: JpkiCard) => Promise<T>): Promise<T>;
}

export const VIRTUAL_READER_NAME = 'Residence Online Virtual Reader 00 00';
/** Which card is in the virtual reader, shared by the server and the command line. */
const SLOT_FILE = '.virtual-reader-slot';
const DEFAULT_CARD = 'default';

export class VirtualReader implements Reader {
  readonly #dir: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(cardDir: string) {
    this.#dir = cardDir;
  }

  get cardDir(): string {
    return this.#dir;
  }

  async #choices(): Promise<CardChoice[] | null> {
    const dir = await stat(this.#dir).catch(() => null);
    if (!dir?.isDirectory()) return null;
    const { cards } = await readCardFiles(this.#dir);
    return cards.map((c) => ({ id: c.id, description: c.description }));
  }

  /** The slot file holds a card id, or "" for an empty slot; no file = the demo "default" card. */
  async #slot(choices: CardChoice[]): Promise<string | null> {
    const raw = await readFile(join(this.#dir, SLOT_FILE), 'utf8').then(
      (s) => s.trim(),
      () => undefined,
    );
    const wanted = raw === undefined ? DEFAULT_CARD : raw;
    if (wanted === '') return null;
    if (choices.some((c) => c.id === wanted)) return wanted;
    // Without an explicit choice, the first card stands in for a missing "default".
    return raw === undefined && choices[0] ? choices[0].id : null;
  }

  async state(): Promise<ReaderState> {
    const choices = await this.#choices();
    if (choices === null) {
      return { kind: 'virtual', name: VIRTUAL_READER_NAME, available: false, cardId: null, choices: [] };
    }
    return {
      kind: 'virtual',
      name: VIRTUAL_READER_NAME,
      available: true,
      cardId: await this.#slot(choices),
      choices,
    };
  }

  /** Puts a card from the directory into the reader (null = take the card out). */
  async insert(cardId: string | null): Promise<void> {
    if (cardId === null) {
      await writeFileAtomic(join(this.#dir, SLOT_FILE), '');
      return;
    }
    const choices = (await this.#choices()) ?? [];
    if (!choices.some((c) => c.id === cardId)) throw new Error(`no card "${cardId}" in ${this.#dir}`);
    await writeFileAtomic(join(this.#dir, SLOT_FILE), cardId);
  }

  /** Forgets the explicit choice (back to the default card). */
  async resetSlot(): Promise<void> {
    await rm(join(this.#dir, SLOT_FILE), { force: true });
  }

  withCard<T>(fn: (card: JpkiCard) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      const state = await this.state();
      if (!state.available) throw new CardError('no_reader', 'the card reader is not available');
      if (state.cardId === null) throw new CardError('no_card', 'no card in the reader');
      const path = join(this.#dir, `${state.cardId}${CARD_FILE_SUFFIX}`);
      // Loaded per connection: the tries left on file are the card's own, also when another
      // program (the command line, `npm run card`) used the card in between.
      const data = await loadCardFile(path).catch((e: Error) => {
        throw new CardError('card_error', `cannot read the virtual card: ${e.message}`);
      });
      return fn(new JpkiCard(VirtualCard.fromFile(path, data)));
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
