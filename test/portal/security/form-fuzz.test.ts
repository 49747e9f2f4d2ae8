// Issue 11, defect 5: a NUL in STEP1's street address answered 500 (PostgreSQL text and jsonb
// cannot hold NUL or a lone surrogate). A fast-check property posts arbitrary Unicode — NUL and
// other control characters, lone surrogates, bidi overrides, emoji sequences, 10 000-character
// strings — into every field of every form of the portal and of the user client software, with
// valid form tokens and sessions so that the posts reach the handlers, and never gets a 5xx (nor
// a 413 for one long field). STEP1 keeps the other entries. Each value goes out three ways: as a
// browser encodes a form (lone surrogates become U+FFFD), percent-encoded byte for byte (WTF-8:
// %00, %ED%A0%80: these still reach the handlers) and as JSON, which both programs refuse with
// 415 before any handler runs (ASVS 13.1.5).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { hashPassword } from '../../../portal/domain/password-hash.ts';
import { queueCompletionEmail } from '../../../portal/flows/registration/completion-email.ts';
import { catalogs } from '../../../portal/i18n/index.ts';
import { openSecret } from '../../../portal/mail/secret.ts';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import {
  authenticateUrl,
  cleanupTemplate,
  type FakePortal,
  freshCardDir,
  newNonce,
  startClient,
  startFakePortal,
  type TestClient,
} from '../../client/helpers.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { HttpClient, viaInject } from '../../helpers/http-client.ts';
import { startPortal, type TestPortal } from '../../helpers/server.ts';
import { createTestUser } from '../account/helpers.ts';
import { FOREIGN_NATIONAL, setupPki, TestBrowser, type TestPki } from '../registration/helpers.ts';

// ---- hostile text ---------------------------------------------------------------------------

const LONG = 10_000;
/** Explicit samples: what a probe would try first. */
const HOSTILE = [
  'Nishi-Shinjuku\u0000 2-8-1',
  '\u0000',
  '\u0000'.repeat(LONG),
  '\ud800',
  'a\udc00b',
  '\udbff\udbff',
  'Nishi\u202eShinjuku',
  'abc\u2066def\u2069',
  '\u200e\u200f\u061c',
  '\t',
  'line\r\nbreak',
  '\u0085\u009f\u001b[31m',
  '\ufeff\ufffd\uffff\u{10ffff}',
  'x'.repeat(LONG),
  '字'.repeat(LONG),
  '😀'.repeat(LONG),
  '👨‍👩‍👧‍👦🏳️‍🌈🇯🇵'.repeat(700),
  '%00%ED%A0%80',
  '"><script>alert(1)</script>',
  'ja',
  'en',
];

const SPECIAL = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\t',
  '\n',
  '\r',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200e',
  '\u061c',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\u{10ffff}',
  '\u200d',
  '😀',
  '👨‍👩‍👧‍👦',
  '🇯🇵',
  'e\u0301',
  '字',
  'ｱ',
  '－',
  '"',
  '<',
  '&',
  '%',
  '+',
  '=',
);
const SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n));
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: SURROGATE },
  { weight: 2, arbitrary: SPECIAL },
);
/** A generated entry; reports show its start and length, not 10 000 characters. */
class Text {
  constructor(readonly value: string) {}
  [fc.toStringMethod](): string {
    const start = JSON.stringify(this.value.slice(0, 40));
    return this.value.length > 40 ? `${start}…(${this.value.length} UTF-16 units)` : start;
  }
}
const text = (value: string) => new Text(value);

const hostileText = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit, minLength: 200, maxLength: 400 }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
  )
  .map(text);
/** For a query string (a URL, which HTTP servers cap at some kilobytes): the same without the longest. */
const hostileQuery = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE.filter((h) => h.length < 1000)) },
  )
  .map(text);

type Encoding = 'form' | 'wtf8' | 'json';
const encoding = fc.constantFrom<Encoding>('form', 'wtf8', 'json');

/** Percent-encodes every UTF-16 unit sequence as generalised UTF-8 (a lone surrogate → %ED%xx%xx). */
function wtf8Percent(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (cp >= 0xd800 && cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    const bytes =
      cp < 0x80
        ? [cp]
        : cp < 0x800
          ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
          : cp < 0x10000
            ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
            : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    for (const b of bytes) {
      out += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function urlencoded(fields: Record<string, string>, enc: Encoding): string {
  if (enc === 'wtf8') {
    return Object.entries(fields)
      .map(([k, v]) => `${wtf8Percent(k)}=${wtf8Percent(v)}`)
      .join('&');
  }
  return new URLSearchParams(fields).toString();
}

function encodeBody(fields: Record<string, string>, enc: Encoding): { type: string; payload: string } {
  if (enc === 'json') return { type: 'application/json', payload: JSON.stringify(fields) };
  return { type: 'application/x-www-form-urlencoded', payload: urlencoded(fields, enc) };
}

const randomIp = () =>
  `10.${(Math.random() * 250) | 0}.${(Math.random() * 250) | 0}.${1 + ((Math.random() * 250) | 0)}`;

// ---- the portal -----------------------------------------------------------------------------

interface Res {
  status: number;
  location: string;
  body: string;
}

/**
 * A browser's cookies and form token (taken over from a TestBrowser that reached the state),
 * posting raw bodies through app.inject. Each request comes from another address, so the
 * per-address rate limits and locks let every post reach its handler.
 */
class Session {
  readonly http: HttpClient;
  constructor(
    readonly portal: TestPortal,
    readonly from: TestBrowser,
  ) {
    this.http = new HttpClient(viaInject(portal.app, randomIp));
    this.http.cookies = from.cookies;
  }

  send(method: 'GET' | 'POST', url: string, body?: { type: string; payload: string }): Promise<Res> {
    return this.http.send(method, url, body ? { raw: body } : {});
  }
}

interface FormCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** The browser state the form belongs to (made once; `fresh` ones per run). */
  session: () => Session | Promise<Session>;
  /** Valid or harmless values of the other fields (computed per run when a function). */
  fields: Record<string, string> | (() => Promise<Record<string, string>>);
  fuzz: string[];
  /** false: a cross-site post without cookie and form token (the card callback). */
  csrf?: boolean;
  check?: (res: Res, fuzzed: string, fields: Record<string, string>, session: Session) => Promise<void>;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The value of the named input on a page (first match), decoded. */
function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0];
  if (!tag) return undefined;
  const v = /\bvalue="([^"]*)"/.exec(tag);
  return v ? decode(v[1]!) : '';
}

const STEP1: Record<string, string> = { ...FOREIGN_NATIONAL, _action: 'confirm' };
const STEP1_TEXT = [
  'prefectureCode',
  'municipalityCode',
  'streetAddress',
  'telephone',
  'email',
  'emailConfirm',
  'residenceCardNumber',
  'proxyNotificationNumber',
];

/** STEP1 shown again (or after a redirect, opened again) holds every entry that was not fuzzed. */
async function step1Kept(res: Res, fuzzed: string, fields: Record<string, string>, s: Session) {
  const page = res.status === 200 ? res : await s.send('GET', '/registration/step1');
  assert.equal(page.status, 200, `STEP1 page: ${page.status}`);
  for (const f of STEP1_TEXT) {
    if (f === fuzzed) continue;
    assert.equal(inputValue(page.body, f), fields[f], `${f} kept`);
  }
  if (fuzzed !== 'userCategory') assert.match(page.body, /<option value="foreign_national" selected/);
  if (fuzzed !== 'termsAgreed') assert.match(page.body, /id="termsAgreed" value="yes" checked/);
}

let pki: TestPki;
let fakePortal: FakePortal;
before(async () => {
  pki = await setupPki({ step1: 'taro', step2: 'taro', nul: 'taro' });
  fakePortal = await startFakePortal();
});
after(async () => {
  pki.close();
  await fakePortal.close();
  await cleanupTemplate();
});

const RUNS = 12;

for (const kind of databaseKinds()) {
  describe(`every portal form refuses hostile text without a 5xx (${kind})`, () => {
    let handle: DatabaseHandle;
    let portal: TestPortal;
    const sessions: Record<string, Session> = {};
    let theUserId = '';
    const browser = async (lang: 'en' | 'ja' = 'en') => {
      const b = new TestBrowser(portal.app);
      b.cookies.set('lang', lang);
      await b.get('/');
      return b;
    };

    before(async () => {
      handle = await openTestDatabase(kind);
      portal = await startPortal(handle.db, pki.env);
      const deps = { config: portal.config, db: handle.db, now: () => new Date() };

      const step1 = await browser();
      await step1.passCardStep(pki.cards.step1!, portal.url);
      sessions.step1 = new Session(portal, step1);

      const step2 = await browser();
      await step2.passCardStep(pki.cards.step2!, portal.url);
      const confirmed = await step2.post('/registration/step1', STEP1);
      assert.equal(confirmed.location, '/registration/step2');
      sessions.step2 = new Session(portal, step2);

      // A user with a password (sign-in, My page) and one with an unused password link.
      const password = 'blue lanterns over kyoto station';
      const user = await createTestUser(handle.db, {
        lang: 'en',
        passwordHash: await hashPassword(password),
        passwordSetAt: new Date(),
        passwordExpiresAt: new Date(Date.now() + 300 * 86_400_000),
      });
      const signedIn = await browser();
      const r = await signedIn.post('/signin', { userId: user.id, password });
      assert.equal(r.location, '/mypage');
      await signedIn.get('/mypage');
      sessions.mypage = new Session(portal, signedIn);
      theUserId = user.id;

      const linked = await createTestUser(handle.db, { lang: 'en' });
      await handle.db.transaction().execute((tx) => queueCompletionEmail(tx, deps, linked));
      const row = await handle.db
        .selectFrom('outbox')
        .select(['secret_ciphertext'])
        .where('to_address', '=', linked.email)
        .executeTakeFirstOrThrow();
      const token = openSecret(row.secret_ciphertext!, portal.config.mail.secretKeys);
      const link = await browser();
      await link.follow(await link.get(`/password/set?token=${token}`));
      sessions.link = new Session(portal, link);

      sessions.anon = new Session(portal, await browser());
    });
    after(async () => {
      await portal.close();
      await handle.close();
    });

    /** A nonce the portal is waiting for: a card step started by the anonymous browser. */
    const pendingNonce = async () => {
      const r = await sessions.anon!.from.post('/registration/card');
      return new URL(r.location).searchParams.get('nonce')!;
    };

    const forms: FormCase[] = [
      {
        name: 'STEP1',
        method: 'POST',
        path: '/registration/step1',
        session: () => sessions.step1!,
        fields: STEP1,
        fuzz: [
          ...STEP1_TEXT,
          'userName',
          'sex',
          'dateOfBirthYear',
          'userCategory',
          'termsAgreed',
          '_lang',
          '_action',
        ],
        check: step1Kept,
      },
      {
        name: 'STEP2 confirm',
        method: 'POST',
        path: '/registration/step2',
        session: () => sessions.step2!,
        fields: { _action: 'back' },
        fuzz: ['_lang', '_action'],
      },
      {
        name: 'municipality search (choose)',
        method: 'POST',
        path: '/registration/municipality-search',
        session: () => sessions.step1!,
        fields: { municipalityCode: '131041' },
        fuzz: ['municipalityCode', '_lang'],
      },
      {
        name: 'municipality search (prefecture)',
        method: 'GET',
        path: '/registration/municipality-search',
        session: () => sessions.step1!,
        fields: { prefecture: '13' },
        fuzz: ['prefecture'],
      },
      {
        name: 'municipality list (dialog)',
        method: 'GET',
        path: '/registration/municipalities',
        session: () => sessions.step1!,
        fields: { prefecture: '13' },
        fuzz: ['prefecture'],
      },
      {
        name: 'registration card step',
        method: 'POST',
        path: '/registration/card',
        session: () => sessions.anon!,
        fields: {},
        fuzz: ['_lang', 'extra'],
      },
      {
        name: 'card callback',
        method: 'POST',
        path: '/card/callback',
        session: () => sessions.anon!,
        csrf: false,
        fields: async () => ({ nonce: await pendingNonce(), token: 'eyJ9', error: 'cancelled' }),
        fuzz: ['nonce', 'token', 'error'],
      },
      {
        name: 'card continue',
        method: 'GET',
        path: '/card/continue',
        session: () => sessions.anon!,
        fields: { cs: 'abc', e: 'cancelled', p: 'signin' },
        fuzz: ['cs', 'e', 'p'],
      },
      {
        name: 'sign-in',
        method: 'POST',
        path: '/signin',
        session: () => sessions.anon!,
        fields: async () => ({ userId: theUserId, password: 'not the password' }),
        fuzz: ['userId', 'password', '_lang'],
      },
      {
        name: 'sign-in with the card',
        method: 'POST',
        path: '/signin/card',
        session: () => sessions.anon!,
        fields: {},
        fuzz: ['_lang', 'extra'],
      },
      {
        name: 'User ID recovery with the card',
        method: 'POST',
        path: '/recover-user-id/card',
        session: () => sessions.anon!,
        fields: {},
        fuzz: ['_lang', 'extra'],
      },
      {
        name: 'forgotten password',
        method: 'POST',
        path: '/password/forgot',
        session: () => sessions.anon!,
        fields: { userId: '7K3M-9QXD-2HWE', email: 'someone@example.com' },
        fuzz: ['userId', 'email', '_lang'],
      },
      {
        name: 'password setting (link)',
        method: 'POST',
        path: '/password/set',
        session: () => sessions.link!,
        // Never both valid and equal: the link stays unused, so every run reaches the rules.
        fields: { password: 'lanterns over the river', confirm: 'a different confirmation' },
        fuzz: ['password', 'confirm', '_lang'],
      },
      {
        name: 'password link (opened)',
        method: 'GET',
        path: '/password/set',
        session: async () => new Session(portal, await browser()),
        fields: { token: 'x' },
        fuzz: ['token'],
      },
      {
        name: 'change password (My page)',
        method: 'POST',
        path: '/mypage/password',
        session: () => sessions.mypage!,
        fields: {
          current: 'not the current password',
          password: 'lanterns over the river',
          confirm: 'lanterns over the river',
        },
        fuzz: ['current', 'password', 'confirm', '_lang'],
      },
      {
        name: 'change email (My page)',
        method: 'POST',
        path: '/mypage/email',
        session: () => sessions.mypage!,
        fields: { current: 'not the current password', email: 'new@example.com', confirm: 'new@example.com' },
        fuzz: ['current', 'email', 'confirm', '_lang'],
      },
      {
        name: 'email change confirmation',
        method: 'POST',
        path: '/email/confirm',
        session: () => sessions.mypage!,
        fields: {},
        fuzz: ['_lang', 'extra'],
      },
      {
        name: 'email change link (opened)',
        method: 'GET',
        path: '/email/confirm',
        session: () => sessions.anon!,
        fields: { token: 'x' },
        fuzz: ['token'],
      },
      {
        name: 'language link',
        method: 'GET',
        path: '/',
        session: () => sessions.anon!,
        fields: { lang: 'en' },
        fuzz: ['lang'],
      },
      {
        name: 'sign-out',
        method: 'POST',
        path: '/signout',
        session: async () => new Session(portal, await browser()),
        fields: {},
        fuzz: ['_lang', 'extra'],
      },
    ];

    async function submit(form: FormCase, s: Session, fields: Record<string, string>, enc: Encoding) {
      const all = form.method === 'POST' && form.csrf !== false ? { _csrf: s.from.csrf, ...fields } : fields;
      if (form.method === 'GET') {
        return s.send('GET', `${form.path}?${urlencoded(all, enc === 'json' ? 'form' : enc)}`);
      }
      if (form.csrf === false) {
        // Cross-site: no cookies.
        return s.http.send('POST', form.path, { raw: encodeBody(all, enc), cookies: false });
      }
      return s.send('POST', form.path, encodeBody(all, enc));
    }

    for (const form of forms) {
      test(`${form.name}: ${form.method} ${form.path} never answers 5xx (or 413) to any text in ${form.fuzz.join(', ')}`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...form.fuzz),
            form.method === 'GET' ? hostileQuery : hostileText,
            encoding,
            async (field, value, enc) => {
              const s = await form.session();
              const base = typeof form.fields === 'function' ? await form.fields() : form.fields;
              const fields = { ...base, [field]: value.value };
              const res = await submit(form, s, fields, enc);
              if (form.method === 'POST' && enc === 'json') {
                // Forms only: a JSON body never reaches the handler.
                assert.equal(res.status, 415, res.body.slice(0, 300));
                assert.ok(
                  res.body.includes(catalogs.en.common.notAForm.title) ||
                    res.body.includes(catalogs.ja.common.notAForm.title),
                );
                return;
              }
              assert.ok(res.status < 500, `${res.status}: ${res.body.slice(0, 300)}`);
              assert.notEqual(res.status, 413, 'one long field is answered as a field error, not 413');
              await form.check?.(res, field, base, s);
            },
          ),
          {
            numRuns: RUNS,
            endOnFailure: true,
            includeErrorInReport: true,
            // The defect as found, and the longest entries, on every form.
            examples: form.fuzz.flatMap((f) => {
              const e: [string, Text, Encoding][] = [
                [f, text('Nishi-Shinjuku\u0000 2-8-1'), 'form'],
                [f, text('\ud800\u202e'.repeat(3)), 'wtf8'],
                [f, text('\ud800\u202e'.repeat(3)), 'json'],
              ];
              if (form.method === 'POST') e.push([f, text('字'.repeat(LONG)), 'form']);
              return e;
            }),
          },
        );
      });
    }
  });
}

// ---- STEP1, the defect as found, over the wire ------------------------------------------------

interface Raw {
  status: number;
  location: string;
  body: string;
}

function raw(url: string, cookies: Map<string, string>, body: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest(
      {
        method: 'POST',
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        headers: {
          cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), body: data }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('STEP1: the street address "Nishi-Shinjuku\\u0000 2-8-1" (over HTTP)', () => {
  let handle: DatabaseHandle;
  let portal: TestPortal;
  before(async () => {
    handle = await openTestDatabase('pglite');
    portal = await startPortal(handle.db, pki.env);
  });
  after(async () => {
    await portal.close();
    await handle.close();
  });

  test('is refused with the field message in both languages; the other entries are kept', async () => {
    const b = new TestBrowser(portal.app);
    b.cookies.set('lang', 'en');
    await b.passCardStep(pki.cards.nul!, portal.url);
    for (const lang of ['en', 'ja'] as const) {
      b.cookies.set('lang', lang);
      const fields = { ...STEP1, _csrf: b.csrf, streetAddress: 'Nishi-Shinjuku\u0000 2-8-1' };
      const r = await raw(
        `${portal.url}/registration/step1`,
        b.cookies,
        new URLSearchParams(fields).toString(),
      );
      assert.equal(r.status, 200, r.body.slice(0, 300));
      const message = catalogs[lang].registration.errors.streetAddress.invalid_characters;
      assert.ok(r.body.includes(message), `${lang}: the field message`);
      for (const f of STEP1_TEXT) {
        if (f !== 'streetAddress') assert.equal(inputValue(r.body, f), STEP1[f], `${f} kept`);
      }
      // The entry is shown again with the character marked, never with the NUL itself.
      assert.equal(inputValue(r.body, 'streetAddress'), 'Nishi-Shinjuku\ufffd 2-8-1');
    }
  });

  test('10 000 characters give the field message, not 413 or 500; the other entries are kept', async () => {
    const b = new TestBrowser(portal.app);
    b.cookies.set('lang', 'ja');
    await b.passCardStep(pki.cards.nul!, portal.url);
    for (const long of ['字'.repeat(LONG), '😀'.repeat(LONG)]) {
      const fields = { ...STEP1, _csrf: b.csrf, streetAddress: long };
      const r = await raw(
        `${portal.url}/registration/step1`,
        b.cookies,
        new URLSearchParams(fields).toString(),
      );
      assert.equal(r.status, 200, r.body.slice(0, 300));
      assert.ok(r.body.includes(catalogs.ja.registration.errors.streetAddress.too_long));
      assert.equal(inputValue(r.body, 'email'), STEP1.email);
    }
  });
});

// ---- the user client software ---------------------------------------------------------------

function clientRequest(
  client: TestClient,
  method: 'GET' | 'POST',
  path: string,
  body?: { type: string; payload: string },
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        method,
        host: '127.0.0.1',
        port: client.port,
        path,
        headers: body
          ? { 'content-type': body.type, 'content-length': String(Buffer.byteLength(body.payload)) }
          : {},
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), body: data }),
        );
      },
    );
    req.on('error', reject);
    req.end(body?.payload);
  });
}

const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describe('every form of the user client software refuses hostile text without a 5xx', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient(await freshCardDir('default'), [fakePortal.origin]);
  });
  after(() => client.close());

  /** A dialog as the portal's redirect opens it: its path and form token. */
  async function openDialog(): Promise<{ path: string; token: string }> {
    const r = await clientRequest(
      client,
      'GET',
      authenticateUrl(client, fakePortal, newNonce()).slice(client.url.length),
    );
    assert.equal(r.status, 303);
    const page = await clientRequest(client, 'GET', r.location);
    return { path: r.location, token: hidden(page.body, '_token') };
  }

  test('dialog: the password field (and its buttons) never give 5xx or 413; a bad password is a field message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('password', 'action'),
        hostileText,
        encoding,
        async (field, value, enc) => {
          const dialog = await openDialog();
          const fields = { _token: dialog.token, action: 'ok', password: 'wrong', [field]: value.value };
          const r = await clientRequest(client, 'POST', dialog.path, encodeBody(fields, enc));
          if (enc === 'json') {
            assert.equal(r.status, 415, 'forms only: a JSON body never reaches the dialog');
            return;
          }
          assert.ok(r.status < 500 && r.status !== 413, `${r.status}: ${r.body.slice(0, 200)}`);
          if (field === 'password') {
            // The dialog is shown again with its message (format, empty, wrong or card state).
            assert.equal(r.status, 303);
            assert.equal(r.location, dialog.path);
            const again = await clientRequest(client, 'GET', dialog.path);
            assert.equal(again.status, 200);
          }
        },
      ),
      {
        numRuns: RUNS,
        endOnFailure: true,
        includeErrorInReport: true,
        examples: [
          ['password', text('TARO\u00002022'), 'form'],
          ['password', text('x'.repeat(LONG)), 'form'],
          ['password', text('😀'.repeat(LONG)), 'wtf8'],
          ['password', text('\ud800\u202e'), 'wtf8'],
          ['password', text('\ud800\u202e'), 'json'],
        ],
      },
    );
  });

  test('status page: the card reader form never gives 5xx', async () => {
    const status = await clientRequest(client, 'GET', '/');
    const token = hidden(status.body, '_token');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('card', 'action', 'lang'),
        hostileText,
        encoding,
        async (field, value, enc) => {
          const fields = {
            _token: token,
            action: 'insert',
            card: 'default',
            lang: 'en',
            [field]: value.value,
          };
          const r = await clientRequest(client, 'POST', '/reader', encodeBody(fields, enc));
          if (enc === 'json') return assert.equal(r.status, 415, 'forms only');
          assert.ok(r.status < 500 && r.status !== 413, `${r.status}: ${r.body.slice(0, 200)}`);
        },
      ),
      {
        numRuns: RUNS,
        endOnFailure: true,
        includeErrorInReport: true,
        examples: [
          ['card', text('\u0000'), 'form'],
          ['lang', text('字'.repeat(LONG)), 'form'],
        ],
      },
    );
  });

  test('the card step request and the dialog language never give 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('origin', 'nonce', 'return', 'lang', 'mode'),
        hostileQuery,
        fc.constantFrom<Encoding>('form', 'wtf8'),
        async (field, value, enc) => {
          const q = {
            origin: fakePortal.origin,
            nonce: newNonce(),
            return: fakePortal.returnUrl,
            lang: 'ja',
            mode: 'register',
            [field]: value.value,
          };
          const r = await clientRequest(client, 'GET', `/authenticate?${urlencoded(q, enc)}`);
          assert.ok(r.status < 500, `${r.status}: ${r.body.slice(0, 200)}`);
          const dialog = await openDialog();
          const d = await clientRequest(
            client,
            'GET',
            `${dialog.path}?${urlencoded({ lang: value.value }, enc)}`,
          );
          assert.ok(d.status < 500, `${d.status}: ${d.body.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
    );
  });
});
