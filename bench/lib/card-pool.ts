// The main thread's side of the card workers: issue cards in the background, hand out one
// fresh card per applicant, and sign tokens in the worker that holds the card.
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './card-worker.ts';

interface Pending {
  resolve: (r: WorkerReply & { ok: true }) => void;
  reject: (e: Error) => void;
}

type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

class CardWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  issued = 0;
  handedOut = 0;
  readonly ready: Promise<void>;

  constructor(init: WorkerInit) {
    // Worker threads do not inherit tsx's loader: register it, then load the TypeScript module.
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
      new URL('./card-worker.ts', import.meta.url).href,
    )}); })`;
    this.#worker = new Worker(bootstrap, { eval: true, workerData: init });
    this.ready = new Promise((resolve, reject) => {
      this.#worker.once('error', reject);
      const onReady = (m: unknown) => {
        if ((m as { ready?: boolean }).ready) {
          this.#worker.off('message', onReady);
          resolve();
        }
      };
      this.#worker.on('message', onReady);
    });
    this.#worker.on('message', (m: WorkerReply | { ready: true }) => {
      if ('ready' in m) return;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m);
      else p.reject(new Error(m.error));
    });
  }

  call(body: RequestBody): Promise<WorkerReply & { ok: true }> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id });
    });
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

export interface CardHandle {
  worker: number;
  index: number;
}

export class CardPool {
  readonly #workers: CardWorker[];

  constructor(dataDir: string, workers: number, keysPerWorker: number) {
    this.#workers = Array.from(
      { length: workers },
      (_, i) => new CardWorker({ dataDir, keys: keysPerWorker, worker: i }),
    );
  }

  async ready(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.ready));
  }

  get issued(): number {
    return this.#workers.reduce((n, w) => n + w.issued, 0);
  }

  get available(): number {
    return this.#workers.reduce((n, w) => n + w.issued - w.handedOut, 0);
  }

  /** Issues `count` more cards across the workers, in batches, reporting progress. */
  async issue(count: number, onProgress?: (issued: number, target: number) => void): Promise<void> {
    const target = this.issued + count;
    const batch = 50;
    let left = count;
    await Promise.all(
      this.#workers.map(async (w) => {
        while (left > 0) {
          const n = Math.min(batch, left);
          left -= n;
          const r = await w.call({ op: 'issue', count: n });
          w.issued = r.issued!;
          onProgress?.(this.issued, target);
        }
      }),
    );
  }

  /** A card no applicant has used, or undefined when all are used. */
  take(): CardHandle | undefined {
    let best: number | undefined;
    for (let i = 0; i < this.#workers.length; i++) {
      const w = this.#workers[i]!;
      if (w.issued > w.handedOut && (best === undefined || w.issued - w.handedOut > this.#left(best)))
        best = i;
    }
    if (best === undefined) return undefined;
    const w = this.#workers[best]!;
    return { worker: best, index: w.handedOut++ };
  }

  #left(i: number): number {
    const w = this.#workers[i]!;
    return w.issued - w.handedOut;
  }

  async sign(card: CardHandle, origin: string, nonce: string): Promise<string> {
    const r = await this.#workers[card.worker]!.call({ op: 'sign', card: card.index, origin, nonce });
    return r.token!;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
