// Running virtual users for a fixed time, and the two scenarios' single iterations.
import type { CardHandle, CardPool } from './card-pool.ts';
import { defaultSubmission, type Form, parseForms } from './html.ts';
import { Browser, type Response } from './http.ts';
import type { StepRecorder } from './stats.ts';

export class StepError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${step}: ${status} ${detail}`);
  }
}

/** The page's <title> or first heading, to say what an unexpected page was. */
export function pageTitle(html: string): string {
  const m = /<title>([^<]*)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  const err = /class="[^"]*error-summary[^"]*"[\s\S]{0,600}/i.exec(html)?.[0].replace(/<[^>]+>/g, ' ');
  return `${(m?.[1] ?? html.slice(0, 120)).replace(/\s+/g, ' ').trim()}${err ? ` | ${err.replace(/\s+/g, ' ').slice(0, 300)}` : ''}`;
}

export interface Step {
  name: string;
  res: Response;
}

/** Timed request helpers bound to one browser and a recorder. */
export class Walker {
  /** When set, the HTML of every page fetched (GET answered 200) is kept here by step name. */
  pages: Map<string, string> | undefined;

  constructor(
    readonly browser: Browser,
    readonly rec: StepRecorder,
  ) {}

  async get(
    path: string,
    expect = 200,
    name = `GET ${new URL(path, this.browser.origin).pathname}`,
  ): Promise<Response> {
    const res = await this.browser.get(path);
    if (res.status !== expect) throw new StepError(name, res.status, pageTitle(res.body));
    this.rec.add(name, res.ms);
    if (expect === 200) this.pages?.set(name, res.body);
    return res;
  }

  async post(
    path: string,
    fields: [string, string][],
    expect = 303,
    from?: string,
    name = `POST ${new URL(path, this.browser.origin).pathname}`,
  ): Promise<Response> {
    const res = await this.browser.postForm(path, fields, from);
    if (res.status !== expect) throw new StepError(name, res.status, pageTitle(res.body));
    this.rec.add(name, res.ms);
    return res;
  }
}

export function location(res: Response, base: string): URL {
  const l = res.headers.location;
  if (!l) throw new StepError('redirect', res.status, 'no Location');
  return new URL(l, base);
}

export function formWithAction(forms: Form[], pattern: RegExp, step: string): Form {
  const f = forms.find((x) => x.method === 'post' && pattern.test(x.action));
  if (!f) throw new StepError(step, 200, `no form posting to ${pattern}`);
  return f;
}

/** Fields of a form with some replaced or added (in the form's order; new ones at the end). */
export function fill(form: Form, values: Record<string, string>): [string, string][] {
  const out = defaultSubmission(form).filter(([k]) => !(k in values));
  return [...out, ...Object.entries(values)];
}

export interface RegistrationContext {
  base: string;
  cards: CardPool;
  /** Called with the email address once STEP3 shows. */
  onRegistered: (email: string) => void;
}

let applicantSeq = 0;

/** STEP1 values for applicant n (everything the card does not pre-fill). */
export function step1Values(n: number): Record<string, string> {
  const email = `applicant-${n}@bench.example`;
  return {
    userName: 'BENCH APPLICANT',
    sex: 'male',
    dateOfBirthYear: '1990',
    dateOfBirthMonth: '4',
    dateOfBirthDay: '1',
    prefectureCode: '13',
    municipalityCode: '131041',
    streetAddress: 'Nishi-Shinjuku 2-8-1',
    telephone: '09012345678',
    email,
    emailConfirm: email,
    userCategory: 'foreign_national',
    residenceCardNumber: 'AB12345678CD',
    proxyNotificationNumber: '',
    termsAgreed: 'yes',
    _action: 'confirm',
  };
}

/**
 * One applicant, top page to STEP3, as the browser does it. The client software's own pages
 * are not requested: the card signs in a worker thread and the bench posts what the client's
 * auto-submitting form would.
 */
export async function registerOnce(w: Walker, ctx: RegistrationContext, card: CardHandle): Promise<void> {
  const n = ++applicantSeq;
  const b = w.browser;
  b.jar.clear();
  const top = await w.get('/');
  const cardForm = formWithAction(parseForms(top.body), /\/registration\/card/, 'GET /');
  const toClient = await w.post(cardForm.action, defaultSubmission(cardForm));
  const clientUrl = location(toClient, ctx.base);
  const q = clientUrl.searchParams;
  const origin = q.get('origin');
  const nonce = q.get('nonce');
  const returnUrl = q.get('return');
  if (!origin || !nonce || !returnUrl)
    throw new StepError('POST /registration/card', 303, `bad client URL ${clientUrl}`);
  const token = await ctx.cards.sign(card, origin, nonce);
  // The client's page posts {nonce, token} to the return URL, cross-site.
  const back = await w.post(
    returnUrl,
    [
      ['nonce', nonce],
      ['token', token],
    ],
    303,
    clientUrl.origin,
  );
  const cont = await w.get(location(back, ctx.base).toString(), 303);
  const step1Url = location(cont, ctx.base);
  if (!/\/registration\/step1/.test(step1Url.pathname)) {
    throw new StepError('GET /card/continue', 303, `went to ${step1Url.pathname}`);
  }
  const step1 = await w.get(step1Url.toString());
  const form1 = formWithAction(parseForms(step1.body), /\/registration/, 'GET /registration/step1');
  const values = step1Values(n);
  const toStep2 = await w.post(form1.action || step1Url.pathname, fill(form1, values));
  const step2 = await w.get(location(toStep2, ctx.base).toString());
  const form2 = formWithAction(parseForms(step2.body), /\/registration/, 'GET /registration/step2');
  const toStep3 = await w.post(form2.action, fill(form2, { _action: 'register' }));
  await w.get(location(toStep3, ctx.base).toString());
  ctx.onRegistered(values.email!);
}

export interface SignInContext {
  users: { userId: string; password: string }[];
}

let signinSeq = 0;

/** One password sign-in: the sign-in page, the post, my page. */
export async function signInOnce(w: Walker, ctx: SignInContext): Promise<void> {
  const u = ctx.users[signinSeq++ % ctx.users.length]!;
  w.browser.jar.clear();
  const page = await w.get('/signin');
  const form = formWithAction(parseForms(page.body), /\/signin$/, 'GET /signin');
  const res = await w.post(form.action, fill(form, { userId: u.userId, password: u.password }));
  await w.get(location(res, w.browser.origin).toString());
}

export interface LoadResult {
  completed: number;
  errors: { step: string; status: number; message: string }[];
  /** Wall time of the measured window, ms. */
  elapsedMs: number;
  /** Ran out of fresh cards before the end. */
  starved: boolean;
}

/**
 * `concurrency` virtual users run `iteration` back to back until `durationMs` has passed.
 * Iterations that end inside the window are counted; those still running finish after it
 * (so no half-done registration is left) but are not. `onWindowEnd` runs at the deadline.
 */
export async function runLoad(opts: {
  base: string;
  concurrency: number;
  durationMs: number;
  rec: StepRecorder;
  iteration: (w: Walker, vu: number, iter: number) => Promise<boolean>;
  onWindowEnd?: () => Promise<void> | void;
}): Promise<LoadResult> {
  const start = performance.now();
  const deadline = start + opts.durationMs;
  let completed = 0;
  let starved = false;
  const errors: LoadResult['errors'] = [];
  let windowEnded: Promise<void> | undefined;
  const endWindow = () => {
    windowEnded ??= (async () => {
      opts.rec.recording = false;
      await opts.onWindowEnd?.();
    })();
    return windowEnded;
  };
  const timer = setTimeout(endWindow, opts.durationMs);
  const vus = Array.from({ length: opts.concurrency }, async (_, vu) => {
    const browser = new Browser(opts.base);
    const w = new Walker(browser, opts.rec);
    let iter = 0;
    while (performance.now() < deadline) {
      // Each iteration is a different person: a different address behind the load balancer.
      browser.extraHeaders = { 'x-forwarded-for': `10.${vu & 255}.${(iter >> 8) & 255}.${iter & 255}` };
      try {
        const ok = await opts.iteration(w, vu, iter++);
        if (!ok) {
          starved = true;
          break;
        }
        if (performance.now() <= deadline) completed++;
      } catch (e) {
        // Every error counts, inside the window or not: the target is none at all.
        const se = e instanceof StepError ? e : undefined;
        errors.push({
          step: se?.step ?? 'network',
          status: se?.status ?? 0,
          message: (e as Error).message.slice(0, 400),
        });
      }
    }
    browser.close();
  });
  await Promise.all(vus);
  clearTimeout(timer);
  await endWindow();
  return { completed, errors, elapsedMs: Math.min(performance.now(), deadline) - start, starved };
}
