// The log keeps no secrets. The whole system (portal, user client software, outbox worker, mail
// catcher) runs with logging at `trace` into a stream this test reads, while an applicant goes
// the whole way over HTTP: the card step through the client software's two dialogs, STEP1–STEP3,
// the emailed link, setting the password, a wrong and a right sign-in with User ID + password,
// a password change, an email change (a wrong current password, then the confirmation link),
// and signing in again with the new password. Then every
// line is searched for the signature password, the user ID PIN, each password, each link token,
// the full Residence Card number, the text of every email and anything shaped like an Individual
// Number: as typed, URL-encoded, form-encoded, JSON-escaped, base64 and hex, inside JSON values
// and after decoding them. A self-check plants each kind of value in the forms above and makes
// sure the detector finds it (and finds nothing in ordinary lines), so the test can fail.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { toJpkiDateOfBirth } from '../../../card/basic4.ts';
import { loadDevPki } from '../../../card/pki/dev-pki.ts';
import { issueCardFile } from '../../../card/pki/issue.ts';
import { noSubstitutes } from '../../../card/pki/profile.ts';
import type { CaughtMessage } from '../../../mailcatcher/catcher.ts';
import { startSystem, type TestSystem } from '../../helpers/system.ts';
import { Client } from '../account/http.ts';
import { FOREIGN_NATIONAL } from '../registration/helpers.ts';

// ---- the detector -------------------------------------------------------------------------

interface Secret {
  what: string;
  value: string;
  /**
   * A short value (the 4-digit PIN) is found only as a whole token (not inside a longer number,
   * identifier or UUID), or it would be "found" in timestamps and request ids.
   */
  short?: boolean;
}

const ascii = (s: string) =>
  s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The forms a value can take on its way into a log line. */
function variants(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const b = Buffer.from(value, 'utf8');
  const forms = [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    json,
    ascii(json),
    b.toString('hex'),
  ];
  // Base64 of a short value is short too, and could turn up inside a random id by chance.
  if (value.length >= 8) forms.push(b.toString('base64').replace(/=+$/, ''), b.toString('base64url'));
  return [...new Set(forms.map((f) => f.toLowerCase()))];
}

function tryDecode(s: string): string[] {
  const out: string[] = [];
  for (const t of [s, s.replace(/\+/g, ' ')]) {
    try {
      out.push(decodeURIComponent(t));
    } catch {
      // not URL-encoded text: the raw form is searched anyway
    }
  }
  return out;
}

/** Every string (and number) in a parsed JSON line: keys and values, at any depth. */
function leaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      leaves(x, out);
    }
  }
  return out;
}

/** The line itself, each JSON leaf (JSON escapes undone), and their URL-decoded forms. */
function haystacks(line: string): string[] {
  const base = [line];
  try {
    base.push(...leaves(JSON.parse(line)));
  } catch {
    // not a JSON line: searched as text
  }
  return [...new Set([...base, ...base.flatMap(tryDecode)])].map((h) => h.toLowerCase());
}

/** My Number check digit (番号法施行令 第8条): 11 − Σ P·Q mod 11, 0 when the remainder is 0 or 1. */
function isIndividualNumber(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(digits[11 - n]);
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const r = sum % 11;
  return Number(digits[11]) === (r <= 1 ? 0 : 11 - r);
}

const NUMBER_SHAPES = [/(?<![\d.])\d{12}(?![\d.])/g, /(?<![\d.])\d{4}[ -]\d{4}[ -]\d{4}(?![\d.])/g];

/** Descriptions of every secret found, "<what> in line <n>: <excerpt>"; empty when the log is clean. */
function findLeaks(log: string, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  lines.forEach((line, i) => {
    const hay = haystacks(line);
    const report = (what: string) => found.push(`${what} in line ${i + 1}: ${line.slice(0, 300)}`);
    for (const s of secrets) {
      const hit = s.short
        ? hay.some((h) =>
            variants(s.value).some((v) =>
              new RegExp(`(?<![0-9a-z._-])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9a-z._-])`).test(
                h,
              ),
            ),
          )
        : hay.some((h) => variants(s.value).some((v) => h.includes(v)));
      if (hit) report(s.what);
    }
    for (const h of hay) {
      const numbers = NUMBER_SHAPES.flatMap((re) => h.match(re) ?? []).map((m) => m.replace(/[ -]/g, ''));
      if (numbers.some(isIndividualNumber)) {
        report('an Individual Number');
        break;
      }
    }
  });
  return found;
}

/** The sentences of an email's text part: every line long enough to be the message, not a field. */
function bodyLines(m: CaughtMessage): string[] {
  return m.text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => [...l].length >= 20);
}

// ---- the self-check -------------------------------------------------------------------------

describe('log secrets: the detector', () => {
  const secrets: Secret[] = [
    { what: 'the portal password', value: 'kumo no ue "sora" & umi+é' },
    { what: 'the user ID PIN', value: '0473', short: true },
    { what: 'a link token', value: 'q3Jx_Zt1-wZ0rQ8u7yB6hV2mN4kL9pD5sF0gA1cE3iK' },
    { what: 'the Residence Card number', value: 'XK73519264QZ' },
    { what: 'the email text', value: 'パスワードを設定してください。Set your password.' },
  ];

  test('finds each planted value: raw, URL-encoded, form-encoded, JSON-escaped, base64, hex', () => {
    for (const s of secrets) {
      for (const form of [
        (v: string) => JSON.stringify({ msg: 'x', body: v }),
        (v: string) => JSON.stringify({ url: `/password/set?token=${encodeURIComponent(v)}&x=1` }),
        (v: string) => JSON.stringify({ body: new URLSearchParams({ password: v }).toString() }),
        (v: string) => `{"msg":"${ascii(JSON.stringify(v).slice(1, -1))}"}`,
        (v: string) => JSON.stringify({ buf: Buffer.from(v).toString('hex') }),
        (v: string) => `plain text line: ${v.toLowerCase()} (not JSON)`,
        ...(s.short ? [] : [(v: string) => JSON.stringify({ b64: Buffer.from(v).toString('base64') })]),
      ]) {
        const line = form(s.value);
        assert.equal(findLeaks(line, [s]).length, 1, `${s.what} planted as ${line}`);
      }
    }
  });

  test('finds an Individual Number by its check digit, with or without separators', () => {
    assert.ok(isIndividualNumber('123456789018'));
    assert.ok(!isIndividualNumber('123456789011'));
    for (const line of [
      '{"msg":"123456789018"}',
      '{"n":123456789018}',
      '{"msg":"number 1234 5678 9018"}',
      '{"q":"a=1234-5678-9018"}',
    ]) {
      assert.deepEqual(
        findLeaks(line, []).map((f) => f.split(' in ')[0]),
        ['an Individual Number'],
        line,
      );
    }
  });

  test('finds nothing in ordinary lines: times, request ids, ports, response times', () => {
    const ordinary = [
      '{"level":30,"time":1764000000473,"pid":40473,"hostname":"h","reqId":"4a7b0473-0473-4c1d-9e2f-047304730473","req":{"method":"GET","path":"/dialog/aB0473_x-Y","id":"4a7b0473-0473-4c1d-9e2f-047304730473"},"msg":"incoming request"}',
      '{"level":30,"time":1764000000000,"res":{"statusCode":303},"responseTime":12.0473,"msg":"request completed"}',
      '{"level":30,"msg":"card step: signed","step":"auth","port":60473,"time":1234567890183}',
    ];
    assert.deepEqual(findLeaks(ordinary.join('\n'), secrets), []);
  });
});

// ---- the whole system at trace --------------------------------------------------------------

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const hidden = (html: string, name: string): string => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no field ${name} on the page`);
  return unescapeHtml(m[1]!);
};

describe('log secrets: registration, password, sign-in and password change at trace', () => {
  const lines: string[] = [];
  const stream = { write: (s: string) => void lines.push(s) };
  let sys: TestSystem;

  // Values of this run only, chosen so that no ordinary log content can contain them by chance.
  const run = randomBytes(6).toString('hex');
  const SIGN_PASSWORD = `SG${randomBytes(5).toString('hex').toUpperCase()}9`;
  const AUTH_PIN = '0473';
  const PASSWORD = `kumo no ue "${run}" & umi+é`;
  const WRONG_PASSWORD = `wrong ${run} guess/%?`;
  const NEW_PASSWORD = `hoshi-${run} 星空 <b>&amp;</b>`;
  const RESIDENCE_CARD = 'xk73519264qz';
  const EMAIL = `log-${run}@ens-test.com`;
  const NEW_EMAIL = `log-new-${run}@ens-test.com`;

  before(async () => {
    sys = await startSystem({ logStream: stream });
    const pki = await loadDevPki(sys.dataDir);
    const name = 'ＨＯＵＭＵ　ＴＡＲＯ';
    const address = '東京都新宿区西新宿二丁目８番１号';
    await issueCardFile(pki, {
      id: 'log-secrets',
      basic4: {
        name,
        nameSubstitutes: noSubstitutes(name),
        sex: '1',
        dateOfBirth: toJpkiDateOfBirth('1990-04-01'),
        address,
        addressSubstitutes: noSubstitutes(address),
      },
      signPassword: SIGN_PASSWORD,
      authPin: AUTH_PIN,
    });
    await sys.insertCard('log-secrets');
  });
  after(async () => {
    await sys?.stop();
    // LOG_SECRETS_OUT=<file> keeps the log of the run, to read what the test searched.
    if (process.env.LOG_SECRETS_OUT) writeFileSync(process.env.LOG_SECRETS_OUT, lines.join(''));
  });

  /** The card step as the browser goes it: portal → client dialogs → cross-site POST → portal. */
  async function cardStep(portal: Client): Promise<string> {
    const start = await portal.post('/registration/card', {}, '/');
    assert.equal(start.status, 303, 'the card step sends the browser to the client software');
    let res = await fetch(start.location!, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const dialog = new URL(res.headers.get('location')!, sys.client.url).toString();
    for (const secret of [SIGN_PASSWORD.toLowerCase(), AUTH_PIN]) {
      const page = await (await fetch(dialog)).text();
      res = await fetch(dialog, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _token: hidden(page, '_token'), action: 'ok', password: secret }),
      });
    }
    assert.equal(res.status, 200, 'the second dialog answers with the page that posts the token back');
    const answer = await res.text();
    const action = unescapeHtml(/<form method="post" action="([^"]+)"/.exec(answer)![1]!);
    // The client's auto-submitted form is cross-site: SameSite=Lax keeps the cookie out of it.
    const callback = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: sys.client.url },
      body: new URLSearchParams({ nonce: hidden(answer, 'nonce'), token: hidden(answer, 'token') }),
    });
    assert.equal(callback.status, 303);
    const back = await portal.get(callback.headers.get('location')!);
    return back.location ?? '';
  }

  const linkToken = (m: CaughtMessage, path: string) => {
    const t = new RegExp(`${path.replace('?', '\\?')}\\?token=([A-Za-z0-9_-]{43})`).exec(m.text)?.[1];
    assert.ok(t, `the email carries a ${path} link`);
    return t;
  };

  test('nothing secret reaches the log', async () => {
    const portal = new Client(sys.portal.url);
    await portal.open('/');

    // The card step and STEP1–STEP3.
    assert.equal(await cardStep(portal), '/registration/step1', 'the card step succeeds');
    const step1 = await portal.post(
      '/registration/step1',
      { ...FOREIGN_NATIONAL, email: EMAIL, emailConfirm: EMAIL, residenceCardNumber: RESIDENCE_CARD },
      '/registration/step1',
    );
    assert.equal(step1.location, '/registration/step2', 'STEP1 is accepted');
    const step2 = await portal.post('/registration/step2', {}, '/registration/step2');
    assert.equal(step2.location, '/registration/complete', 'the registration completes');
    const step3 = await portal.get('/registration/complete');
    const userId = /\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(step3.html)?.[1];
    assert.ok(userId, 'STEP3 shows the User ID');

    // The emailed link and the password.
    const completion = await sys.catcher.waitFor((m) => m.envelopeTo.includes(EMAIL));
    const token1 = linkToken(completion, '/password/set');
    const opened = await portal.get(`/password/set?token=${token1}`);
    assert.equal(opened.location, '/password/set');
    const set = await portal.post(
      '/password/set',
      { password: PASSWORD, confirm: PASSWORD },
      '/password/set',
    );
    assert.equal(set.location, '/signin', 'the password is set');

    // A wrong sign-in, a right one, a password change.
    const wrong = await portal.post('/signin', { userId, password: WRONG_PASSWORD }, '/signin');
    assert.equal(wrong.status, 401);
    const signedIn = await portal.post('/signin', { userId, password: PASSWORD }, '/signin');
    assert.equal(signedIn.location, '/mypage', 'signed in with User ID and password');
    const changed = await portal.post(
      '/mypage/password',
      { current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
      '/mypage/password',
    );
    assert.equal(changed.location, '/mypage', 'the password is changed');
    await sys.catcher.waitFor((m) => m.envelopeTo.includes(EMAIL) && m.id !== completion.id);

    // An email change: a wrong current password, then the right one; the link to the new address.
    const refused = await portal.post(
      '/mypage/email',
      { email: NEW_EMAIL, confirm: NEW_EMAIL, current: WRONG_PASSWORD },
      '/mypage/email',
    );
    assert.equal(refused.status, 422, 'a wrong current password is refused');
    const asked = await portal.post(
      '/mypage/email',
      { email: NEW_EMAIL, confirm: NEW_EMAIL, current: NEW_PASSWORD },
      '/mypage/email',
    );
    assert.equal(asked.location, '/mypage', 'the email change is asked for');
    const confirmMail = await sys.catcher.waitFor((m) => m.envelopeTo.includes(NEW_EMAIL));
    const token2 = linkToken(confirmMail, '/email/confirm');
    await portal.get(`/email/confirm?token=${token2}`);
    const confirmed = await portal.post('/email/confirm', {}, '/email/confirm');
    assert.equal(confirmed.location, '/mypage', 'the new address is confirmed');
    await sys.catcher.waitFor((m) => m.envelopeTo.includes(EMAIL) && m.id > confirmMail.id);

    // Signing out and in again with the changed password.
    await portal.post('/signout', {}, '/mypage');
    const again = await portal.post('/signin', { userId, password: NEW_PASSWORD }, '/signin');
    assert.equal(again.location, '/mypage');

    // Everything queued has gone out: each message's log line is written before the next step.
    const mails = sys.catcher.messages.filter(
      (m) => m.envelopeTo.includes(EMAIL) || m.envelopeTo.includes(NEW_EMAIL),
    );
    assert.equal(
      mails.length,
      4,
      'registration complete, password changed, confirm address, address changed',
    );

    const log = lines.join('');
    assert.ok(lines.length > 50, `the log was written at trace (${lines.length} lines)`);
    assert.equal(sys.portal.app.log.level, 'trace');
    assert.equal(sys.client.app.log.level, 'trace');
    assert.ok(log.includes('card step: signed'), 'the client software logged into the stream');
    assert.ok(log.includes('outbox: sent'), 'the outbox worker logged into the stream');
    // One JSON object per line: pino escapes what it writes, so input cannot forge a line.
    for (const line of log.split('\n').filter(Boolean)) {
      assert.doesNotThrow(() => JSON.parse(line), `not a JSON line: ${line.slice(0, 200)}`);
    }

    const secrets: Secret[] = [
      { what: 'the signature password', value: SIGN_PASSWORD },
      { what: 'the user ID PIN', value: AUTH_PIN, short: true },
      { what: 'the first password', value: PASSWORD },
      { what: 'a wrong password', value: WRONG_PASSWORD },
      { what: 'the changed password', value: NEW_PASSWORD },
      { what: 'the completion link token', value: token1 },
      { what: 'the email confirmation link token', value: token2 },
      { what: 'the Residence Card number', value: RESIDENCE_CARD },
      ...mails.flatMap((m) => bodyLines(m).map((l) => ({ what: `email text (${m.subject})`, value: l }))),
    ];
    assert.deepEqual(findLeaks(log, secrets), []);
  });
});
