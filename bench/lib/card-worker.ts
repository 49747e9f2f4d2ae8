// Worker thread: holds a key pool and the cards it issued, and signs card tokens with them
// through the card library (VirtualCard emulator → JpkiCard APDUs → signToken), as the user
// client software would. Cards stay in the worker that issued them; the main thread refers
// to them by index.
import { parentPort, workerData } from 'node:worker_threads';
import type { CardFileData } from '../../card/emulator/card-file.ts';
import { VirtualCard } from '../../card/emulator/virtual-card.ts';
import { JpkiCard } from '../../card/jpki.ts';
import { loadDevPki } from '../../card/pki/dev-pki.ts';
import type { RsaKeys } from '../../card/pki/x509.ts';
import { encodeToken, signToken } from '../../card/token.ts';
import {
  BENCH_AUTH_PIN,
  BENCH_SIGN_PASSWORD,
  cloneCard,
  issueTemplateCard,
  keyPool,
  loadCaKeys,
  type TemplateCard,
} from './cards.ts';

export type WorkerRequest =
  | { id: number; op: 'issue'; count: number }
  | { id: number; op: 'sign'; card: number; origin: string; nonce: string };
export type WorkerReply =
  | { id: number; ok: true; issued?: number; token?: string; ms: number }
  | { id: number; ok: false; error: string };
export interface WorkerInit {
  dataDir: string;
  keys: number;
  worker: number;
}

const init = workerData as WorkerInit;
const pki = await loadDevPki(init.dataDir);
const ca = loadCaKeys(pki);
const keys: RsaKeys[] = await keyPool(init.keys);
// Template i uses key i for the sign certificate and key i+1 for the auth certificate.
const templates: TemplateCard[] = [];
for (let i = 0; i < keys.length; i++) {
  templates.push(
    await issueTemplateCard(
      pki,
      `bench-template-${init.worker}-${i}`,
      keys[i]!,
      keys[(i + 1) % keys.length]!,
    ),
  );
}
const cards: CardFileData[] = [];

async function handle(msg: WorkerRequest): Promise<WorkerReply> {
  const start = performance.now();
  if (msg.op === 'issue') {
    for (let i = 0; i < msg.count; i++) {
      const n = cards.length;
      cards.push(cloneCard(templates[n % templates.length]!, `bench-${init.worker}-${n}`, ca));
    }
    return { id: msg.id, ok: true, issued: cards.length, ms: performance.now() - start };
  }
  const data = cards[msg.card];
  if (!data) return { id: msg.id, ok: false, error: `no card ${msg.card}` };
  const card = new JpkiCard(new VirtualCard(data));
  const token = await signToken(card, msg.origin, msg.nonce, BENCH_SIGN_PASSWORD, BENCH_AUTH_PIN, 'bench/1');
  return { id: msg.id, ok: true, token: encodeToken(token), ms: performance.now() - start };
}

parentPort!.on('message', (msg: WorkerRequest) => {
  handle(msg).then(
    (r) => parentPort!.postMessage(r),
    (e: Error) => parentPort!.postMessage({ id: msg.id, ok: false, error: e.message } satisfies WorkerReply),
  );
});
parentPort!.postMessage({ ready: true });
