// Readers as the client software sees them: something that may hold a card and hands out a
// Transport to it. The virtual reader serves card files from a directory; the card "inserted"
// in it is remembered in <cards dir>/reader.json so every program on the machine agrees.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transport } from './apdu.ts';
import { writeJsonAtomic } from './atomic-file.ts';
import { loadCardFile } from './emulator/card-file.ts';
import { VirtualCard } from './emulator/virtual-card.ts';
import { CardError } from './errors.ts';
import { type CardSummary, readCardFiles, summarizeCard } from './inventory.ts';
import { cardFilePath } from './pki/issue.ts';

/** A connection to a card. Disconnecting resets the card, ending every VERIFY status (spec §5). */
export interface CardConnection extends Transport {
  disconnect(): Promise<void>;
}

export interface Reader {
  readonly name: string;
  /** Throws CardError('no_card') when no card is present. */
  connect(): Promise<CardConnection>;
}

export const VIRTUAL_READER_NAME = 'Residence Online Virtual Reader';
const STATE_FILE = 'reader.json';

export class VirtualReader implements Reader {
  readonly name = VIRTUAL_READER_NAME;

  constructor(readonly cardsDir: string) {}

  listCards(): Promise<CardSummary[]> {
    return readCardFiles(this.cardsDir).then(({ cards }) => cards.map((c) => summarizeCard(c)));
  }

  async insertedCardId(): Promise<string | null> {
    try {
      const state = JSON.parse(await readFile(join(this.cardsDir, STATE_FILE), 'utf8')) as {
        inserted?: unknown;
      };
      return typeof state.inserted === 'string' ? state.inserted : null;
    } catch {
      return null;
    }
  }

  async insert(id: string): Promise<void> {
    if (
      !/^[A-Za-z0-9_-]{1,64}$/.test(id) ||
      !(await stat(cardFilePath(this.cardsDir, id)).catch(() => null))
    ) {
      throw new CardError('no_card', `no card "${id}" in ${this.cardsDir}`);
    }
    await writeJsonAtomic(join(this.cardsDir, STATE_FILE), { inserted: id }, 0o644);
  }

  async remove(): Promise<void> {
    await writeJsonAtomic(join(this.cardsDir, STATE_FILE), { inserted: null }, 0o644);
  }

  /** Powers the inserted card up from its file (so locks written by other programs hold). */
  async connect(): Promise<CardConnection> {
    const id = await this.insertedCardId();
    if (!id) throw new CardError('no_card', 'no card in the virtual reader');
    const path = cardFilePath(this.cardsDir, id);
    let card: VirtualCard;
    try {
      card = VirtualCard.fromFile(path, await loadCardFile(path));
    } catch (e) {
      throw new CardError('no_card', `the inserted card "${id}" cannot be read`, { cause: e });
    }
    return {
      transmit: (command) => card.transmit(command),
      disconnect: async () => card.reset(),
    };
  }
}
