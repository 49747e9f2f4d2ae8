// Render micro-benchmark (issue 14, decision 1030): the pages of the registration path rendered
// alone, no HTTP, no database — µs per render for each page variant (language, errors, readings).
//
//   npx tsx bench/render.ts                  # every variant, 3 rounds of 1000 renders (best round shown)
//   npx tsx bench/render.ts --n 500 --only step1
//   npx tsx bench/render.ts --dump DIR       # write each variant's HTML to DIR/<variant>.html
//   npx tsx bench/render.ts --compare DIR    # … and say which differ from a dump made before
//   npx tsx bench/render.ts --parts          # STEP1 split: preact's render vs the readings pass
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { h, type VNode } from 'preact';
import type { Basic4Prefill } from '../card/basic4.ts';
import { renderReadingsHtml } from '../design/readings.ts';
import {
  emptyRegistrationInput,
  type FieldErrors,
  type Registration,
  type RegistrationInput,
  validateRegistration,
} from '../portal/domain/registration.ts';
import { renderDocument } from '../portal/html/render.ts';
import { catalogs, LANGS, type Lang } from '../portal/i18n/index.ts';
import { bundledDirectory } from '../portal/store/municipalities.ts';
import { loadAssets } from '../portal/web/asset-registry.ts';
import { SignInPage } from '../portal/web/views/account/signin.tsx';
import { type PageContext, PageContextValue } from '../portal/web/views/page-context.ts';
import { HomePage } from '../portal/web/views/pages.tsx';
import { Step1Page } from '../portal/web/views/registration/step1.tsx';
import { Step2Page } from '../portal/web/views/registration/step2.tsx';
import * as pageRenderer from '../portal/web/views/render.ts';

const args = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '300' },
    only: { type: 'string' },
    dump: { type: 'string' },
    compare: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    parts: { type: 'boolean', default: false },
  },
}).values;

// What sendPage renders; spelled out where the renderer has no renderPage (commits before 1030),
// so the same script measures the code before and after.
const renderPage: (page: VNode, context: PageContext) => string =
  (pageRenderer as { renderPage?: (page: VNode, context: PageContext) => string }).renderPage ??
  ((page, context) =>
    renderReadingsHtml(
      renderDocument(h(PageContextValue.Provider, { value: context }, page)),
      context.readings,
    ));

loadAssets(); // the content-hashed script and stylesheet addresses, as at start
const directory = bundledDirectory();
const CSRF = 'x'.repeat(43);
const prefill: Basic4Prefill = { userName: 'HOUMU TARO', sex: 'male', dateOfBirth: '1990-04-01' };
const fromCard: RegistrationInput = {
  ...emptyRegistrationInput(),
  userName: 'HOUMU TARO',
  sex: 'male',
  dateOfBirthYear: '1990',
  dateOfBirthMonth: '4',
  dateOfBirthDay: '1',
};
// What a careless applicant posts: every other kind of mistake at once.
const wrong: RegistrationInput = {
  ...fromCard,
  streetAddress: '',
  telephone: '03-12',
  email: 'taro@',
  emailConfirm: 'taro@example.jp',
  userCategory: 'attorney',
  proxyNotificationNumber: '12',
};
const filled: RegistrationInput = {
  ...fromCard,
  prefectureCode: '13',
  municipalityCode: '131041',
  streetAddress: 'Nishi-Shinjuku 2-8-1 <b>&"</b>',
  telephone: '090-1234-5678',
  email: 'taro@example.jp',
  emailConfirm: 'taro@example.jp',
  userCategory: 'foreign_national',
  residenceCardNumber: 'AB12345678CD',
  termsAgreed: true,
};
const ctx = { today: '2026-11-30', municipalities: directory };
const wrongResult = validateRegistration(wrong, ctx);
const errors: FieldErrors = wrongResult.ok ? {} : wrongResult.errors;
const filledResult = validateRegistration(filled, ctx);
if (!filledResult.ok) throw new Error(`the filled form should pass: ${JSON.stringify(filledResult.errors)}`);
const registration: Registration = filledResult.value;

interface Variant {
  name: string;
  render: () => string;
}

function variants(): Variant[] {
  const out: Variant[] = [];
  for (const lang of LANGS) {
    const t = catalogs[lang as Lang];
    const readingsChoices = lang === 'ja-easy' ? [true, false] : [true];
    for (const readings of readingsChoices) {
      const tag = `${lang}${readings ? '' : '-noreadings'}`;
      const ctx = { signedIn: false, readings };
      const step1 = (input: RegistrationInput, errs: FieldErrors, mayBeRegistered?: boolean) =>
        Step1Page({
          t,
          path: '/registration/step1',
          csrf: CSRF,
          input,
          prefill,
          errors: errs,
          directory,
          ...(mayBeRegistered === undefined ? {} : { mayBeRegistered }),
        });
      out.push(
        { name: `step1-${tag}`, render: () => renderPage(step1(fromCard, {}, false), ctx) },
        { name: `step1-errors-${tag}`, render: () => renderPage(step1(wrong, errors), ctx) },
        { name: `step1-filled-${tag}`, render: () => renderPage(step1(filled, {}, true), ctx) },
        {
          name: `step2-${tag}`,
          render: () =>
            renderPage(
              Step2Page({
                t,
                path: '/registration/step2',
                csrf: CSRF,
                value: registration,
                telephone: filled.telephone,
                directory,
              }),
              ctx,
            ),
        },
        { name: `top-${tag}`, render: () => renderPage(HomePage({ t, path: '/', csrf: CSRF }), ctx) },
        {
          name: `signin-${tag}`,
          render: () => renderPage(SignInPage({ t, path: '/signin', csrf: CSRF }), ctx),
        },
        {
          name: `signin-errors-${tag}`,
          render: () =>
            renderPage(
              SignInPage({
                t,
                path: '/signin?x=<y>',
                csrf: CSRF,
                userId: 'ab"<c',
                errors: { userId: t.account.fields.userId, password: t.account.fields.password },
              }),
              { signedIn: true, readings },
            ),
        },
      );
    }
  }
  return out.filter((v) => !args.only || v.name.includes(args.only));
}

/** CPU time (user + system) per call in µs: on a shared machine, wall time mostly measures the others. */
function time(fn: () => unknown, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const n = Number(args.n);
const warmup = Number(args.warmup);
const rounds = Number(args.rounds);
const list = variants();
const differs: string[] = [];
if (args.dump) mkdirSync(args.dump, { recursive: true });
const bytes = new Map<string, number>();
for (const v of list) {
  const html = v.render();
  bytes.set(v.name, Buffer.byteLength(html));
  if (args.dump) writeFileSync(path.join(args.dump, `${v.name}.html`), html);
  if (args.compare) {
    // Content-hashed asset names change with the assets, not with the renderer: compared without.
    const unhashed = (s: string) => s.replace(/(\/assets\/[\w-]+)\.[0-9a-f]{10}\./g, '$1.');
    const before = readFileSync(path.join(args.compare, `${v.name}.html`), 'utf8');
    if (unhashed(before) !== unhashed(html)) differs.push(v.name);
  }
  time(v.render, warmup);
}
// Rounds over the whole list, so a burst of load on the shared machine spoils one round, not a
// variant; the best round is shown (the least disturbed), then every round.
const results = new Map<string, number[]>(list.map((v) => [v.name, []]));
for (let r = 0; r < rounds; r++) for (const v of list) results.get(v.name)?.push(time(v.render, n));
console.log(
  `render: ${rounds} rounds × ${n} renders per variant after ${warmup} warm-up, node ${process.version}`,
);
console.log(
  `${'variant'.padEnd(34)} ${'best µs CPU'.padStart(12)}  ${'HTML bytes'.padStart(10)}  rounds (µs)`,
);
for (const v of list) {
  const us = results.get(v.name) ?? [];
  console.log(
    `${v.name.padEnd(34)} ${Math.min(...us)
      .toFixed(1)
      .padStart(12)}  ${String(bytes.get(v.name)).padStart(10)}  ${us.map((u) => u.toFixed(0)).join(' ')}`,
  );
}

if (args.parts) {
  // STEP1 in parts: preact's render of the tree, then the readings pass over its output.
  console.log('\nSTEP1 in parts (µs): tree + preact render · readings pass');
  for (const lang of LANGS) {
    const t = catalogs[lang];
    const page = () =>
      h(
        PageContextValue.Provider,
        { value: { signedIn: false, readings: true } },
        Step1Page({
          t,
          path: '/registration/step1',
          csrf: CSRF,
          input: fromCard,
          prefill,
          errors: {},
          directory,
        }),
      );
    const doc = renderDocument(page());
    time(() => renderDocument(page()), warmup);
    const render = time(() => renderDocument(page()), n);
    time(() => renderReadingsHtml(doc, true), warmup);
    const readings = time(() => renderReadingsHtml(doc, true), n);
    console.log(`  ${lang.padEnd(8)} ${render.toFixed(1).padStart(8)} · ${readings.toFixed(1).padStart(8)}`);
  }
}

if (args.compare) {
  console.log(
    differs.length
      ? `\nDIFFERENT from ${args.compare}: ${differs.join(', ')}`
      : `\nall ${list.length} variants byte-identical to ${args.compare}`,
  );
  if (differs.length) process.exitCode = 1;
}
