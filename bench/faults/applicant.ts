// One applicant as a person behaves when something fails: each step is sent again after an
// error or a "try again" page (pressing the button again), for up to `patienceMs`. Every answer is
// classified: the expected one, a clear refusal (the portal's 503 "try again" page, 429), or an
// error (another 5xx, a reset or refused connection); stack traces in any page are counted.
import type { CardHandle, CardPool } from '../lib/card-pool.ts';
import { defaultSubmission, type Form, parseForms } from '../lib/html.ts';
import { Browser, type Response } from '../lib/http.ts';
import { step1Values } from '../lib/scenario.ts';

export interface Tally {
  refused: number;
  errors: number;
  stackTraces: number;
  /** What each error was (status or network code), for the table's notes. */
  kinds: Map<string, number>;
  /** Instances (X-Served-By) that answered, per applicant. */
  backends: Set<string>;
}

export const newTally = (): Tally => ({
  refused: 0,
  errors: 0,
  stackTraces: 0,
  kinds: new Map(),
  backends: new Set(),
});

export interface Applicant {
  email: string;
  /** Registration (POST /registration/step2) was pressed at least once. */
  clicked: boolean;
  /** STEP3 was shown, with this User ID. */
  completed: boolean;
  userId?: string;
  /** Why the applicant stopped without STEP3. */
  failure?: string;
  startedAt: number;
  completedAt?: number;
  /** Times the applicant started over from the top page. */
  restarts?: number;
}

export class Unexpected extends Error {}

const STACK = /\n\s+at [^\n]+:\d+:\d+/;
const TRY_AGAIN = /Please try again in a moment|しばらくしてから、もう一度お試しください/;

export interface Ctx {
  base: string;
  cards: CardPool;
  tally: Tally;
  patienceMs: number;
  /** Stops retrying (the scenario is over). */
  stopped?: () => boolean;
}

function note(t: Tally, kind: string): void {
  t.kinds.set(kind, (t.kinds.get(kind) ?? 0) + 1);
}

/** Sends `send` until it answers `expect` (or patience runs out). */
export async function persist(
  ctx: Ctx,
  step: string,
  expect: number,
  send: () => Promise<Response>,
): Promise<Response> {
  const until = Date.now() + ctx.patienceMs;
  for (;;) {
    let res: Response | undefined;
    let problem: string;
    try {
      res = await send();
      const by = res.headers['x-served-by'];
      if (typeof by === 'string') ctx.tally.backends.add(by);
      if (STACK.test(res.body)) ctx.tally.stackTraces++;
      if (res.status === expect) return res;
      if ((res.status === 503 && TRY_AGAIN.test(res.body)) || res.status === 429) {
        ctx.tally.refused++;
        note(ctx.tally, `${step}: ${res.status} ${res.status === 429 ? 'too many' : 'try again page'}`);
        problem = `refused ${res.status}`;
      } else if (res.status >= 500) {
        ctx.tally.errors++;
        note(ctx.tally, `${step}: ${res.status}`);
        problem = `error ${res.status}`;
      } else {
        throw new Unexpected(`${step}: ${res.status} ${title(res.body)} ${res.headers.location ?? ''}`);
      }
    } catch (e) {
      if (e instanceof Unexpected) throw e;
      ctx.tally.errors++;
      const code = (e as { code?: string }).code ?? (e as Error).message.slice(0, 40);
      note(ctx.tally, `${step}: ${code}`);
      problem = code;
    }
    if (Date.now() > until || ctx.stopped?.()) throw new Unexpected(`${step}: gave up (${problem})`);
    await new Promise((r) => setTimeout(r, 500 + Math.random() * 500));
  }
}

function title(html: string): string {
  return (/<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? html.slice(0, 80)).replace(/\s+/g, ' ').trim();
}

function formTo(html: string, pattern: RegExp, step: string): Form {
  const f = parseForms(html).find((x) => x.method === 'post' && pattern.test(x.action));
  if (!f) throw new Unexpected(`${step}: no form posting to ${pattern} (${title(html)})`);
  return f;
}

function fill(form: Form, values: Record<string, string>): [string, string][] {
  return [...defaultSubmission(form).filter(([k]) => !(k in values)), ...Object.entries(values)];
}

function loc(res: Response, base: string): string {
  const l = res.headers.location;
  if (!l) throw new Unexpected(`redirect without Location (${res.status})`);
  return new URL(l, base).toString();
}

/**
 * Top page → card step → STEP1 → STEP2, stopping before Registration. Returns the browser
 * (its cookies hold the draft) and the STEP2 form.
 */
export async function toStep2(
  ctx: Ctx,
  a: Applicant,
  card: CardHandle,
  n: number,
  xff: string,
): Promise<{ browser: Browser; form: Form }> {
  const b = new Browser(ctx.base, { 'x-forwarded-for': xff });
  const top = await persist(ctx, 'GET /', 200, () => b.get('/'));
  const cardForm = formTo(top.body, /\/registration\/card/, 'GET /');
  const toClient = await persist(ctx, 'POST /registration/card', 303, () =>
    b.postForm(cardForm.action, defaultSubmission(cardForm)),
  );
  const clientUrl = new URL(loc(toClient, ctx.base));
  const q = clientUrl.searchParams;
  const origin = q.get('origin')!;
  const nonce = q.get('nonce')!;
  const returnUrl = q.get('return')!;
  const token = await ctx.cards.sign(card, origin, nonce);
  const back = await persist(ctx, 'POST /card/callback', 303, () =>
    b.postForm(
      returnUrl,
      [
        ['nonce', nonce],
        ['token', token],
      ],
      clientUrl.origin,
    ),
  );
  const cont = await persist(ctx, 'GET /card/continue', 303, () => b.get(loc(back, ctx.base)));
  const step1Url = loc(cont, ctx.base);
  if (!/\/registration\/step1/.test(step1Url)) throw new Unexpected(`card step went to ${step1Url}`);
  const step1 = await persist(ctx, 'GET /registration/step1', 200, () => b.get(step1Url));
  const form1 = formTo(step1.body, /\/registration/, 'STEP1');
  const values = { ...step1Values(n), email: a.email, emailConfirm: a.email };
  const toStep2 = await persist(ctx, 'POST /registration/step1', 303, () =>
    b.postForm(form1.action || '/registration/step1', fill(form1, values)),
  );
  const step2Url = loc(toStep2, ctx.base);
  if (!/step2/.test(step2Url)) throw new Unexpected(`STEP1 went to ${step2Url}`);
  const step2 = await persist(ctx, 'GET /registration/step2', 200, () => b.get(step2Url));
  return { browser: b, form: formTo(step2.body, /\/registration/, 'STEP2') };
}

/** Registration pressed, then STEP3 read (the User ID). */
export async function pressRegistration(ctx: Ctx, a: Applicant, b: Browser, form: Form): Promise<void> {
  a.clicked = true;
  const toStep3 = await persist(ctx, 'POST /registration/step2', 303, () =>
    b.postForm(form.action, fill(form, { _action: 'register' })),
  );
  await readStep3(ctx, a, b, loc(toStep3, ctx.base));
}

export async function readStep3(ctx: Ctx, a: Applicant, b: Browser, url: string): Promise<void> {
  if (!/\/registration\/complete/.test(url)) throw new Unexpected(`Registration went to ${url}`);
  const step3 = await persist(ctx, 'GET /registration/complete', 200, () => b.get(url));
  const id = /id="user-id">([^<]+)</.exec(step3.body)?.[1];
  if (!id) throw new Unexpected('STEP3 without a User ID');
  a.userId = id.replace(/[-\s]/g, '');
  a.completed = true;
  a.completedAt = Date.now();
}

/** The whole registration of one applicant; never throws (the outcome is in `a`). */
export async function registerApplicant(
  ctx: Ctx,
  a: Applicant,
  card: CardHandle,
  n: number,
  xff: string,
): Promise<void> {
  // Sent back to the top page before Registration (a card step lost in an outage): start over,
  // as a person would, at most twice.
  for (let attempt = 0; ; attempt++) {
    let browser: Browser | undefined;
    try {
      const s = await toStep2(ctx, a, card, n, xff);
      browser = s.browser;
      await pressRegistration(ctx, a, s.browser, s.form);
      a.failure = undefined;
      return;
    } catch (e) {
      a.failure = (e as Error).message.slice(0, 300);
      if (a.clicked || attempt >= 2 || !(e instanceof Unexpected) || /gave up/.test(a.failure)) return;
      a.restarts = (a.restarts ?? 0) + 1;
    } finally {
      browser?.close();
    }
  }
}
