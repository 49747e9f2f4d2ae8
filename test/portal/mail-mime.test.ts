// The worker builds each message as one MIME buffer (portal/mail/mime.ts, decision 1020) instead
// of handing the fields to nodemailer's composer. Every template in ja, en and ja-easy must read
// the same in a mail client either way: subject, addresses, Message-ID, the Auto-Submitted header,
// and the text and HTML parts exactly as renderMail wrote them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type { Lang } from '../../portal/i18n/index.ts';
import { buildMime } from '../../portal/mail/mime.ts';
import {
  type MailTemplate,
  renderMail,
  TEMPLATES,
  type TemplatePayloads,
} from '../../portal/mail/templates.tsx';

const ctx = {
  publicOrigin: 'https://portal.example',
  fromDomain: 'residence.example',
  passwordLinkHours: 24,
};
const at = '2026-11-26T03:05:00Z';
const base = { userId: '7K3M9QXD2HWE', userName: 'ホウム タロウ <HOUMU> "TARO"' };
const PAYLOADS: { [K in MailTemplate]: TemplatePayloads[K] } = {
  'registration-complete': { ...base, linkExpiresAt: at },
  'password-link': { ...base, reason: 'expired', linkExpiresAt: at },
  'password-reminder': { ...base, daysBefore: 7, passwordExpiresAt: at },
  'password-changed': { ...base, at },
  'email-confirm': { ...base, linkExpiresAt: at },
  'email-changed': { ...base, at, newAddressMasked: 'us****@example.jp' },
  'card-renewed': { ...base, at },
  'passkey-added': { ...base, at, name: 'iPhone の パスキー' },
  'passkey-removed': { ...base, at, name: 'YubiKey 5' },
};
const LANGS: Lang[] = ['ja', 'en', 'ja-easy'];
const FROMS = [
  'Residence Online <no-reply@residence.example>',
  '在留申請オンラインシステム <no-reply@residence.example>',
];
// Plain addresses take the cached header block; the others nodemailer's encoding each time.
const TOS = [
  'User.Name+tag@example.jp',
  'UPPER@EXAMPLE.JP',
  `${'long.local.part'.repeat(4)}@a-rather-long-domain-name.example.jp`,
];

/** The message as the worker sent it before: nodemailer composing from the fields. */
async function composedByNodemailer(f: Parameters<typeof buildMime>[0]): Promise<Buffer> {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await t.sendMail({
    from: f.from,
    to: f.to,
    subject: f.subject,
    text: f.text,
    html: f.html,
    messageId: f.messageId,
    date: f.date,
    headers: f.headers,
  });
  return info.message as Buffer;
}

test('every template in ja, en and ja-easy reads the same as nodemailer composed it', async () => {
  let checked = 0;
  for (const template of Object.keys(TEMPLATES) as MailTemplate[]) {
    for (const lang of LANGS) {
      for (const [k, from] of FROMS.entries()) {
        const to = TOS[(k + LANGS.indexOf(lang)) % TOS.length]!;
        const r = renderMail(template, lang, PAYLOADS[template], 'T0KEN-_x', ctx);
        const fields = {
          from,
          to,
          subject: r.subject,
          text: r.text,
          html: r.html,
          messageId: '<outbox-42@residence.example>',
          date: new Date('2026-11-25T10:00:00Z'),
          headers: { 'Auto-Submitted': 'auto-generated' },
        };
        const built = buildMime(fields);
        const [now, before] = await Promise.all([
          simpleParser(built.raw),
          simpleParser(await composedByNodemailer(fields)),
        ]);
        const what = `${template} ${lang} ${from}`;
        assert.equal(now.text, r.text, `text part — ${what}`);
        assert.equal(now.html, r.html, `HTML part — ${what}`);
        assert.equal(before.text, r.text, `text part (nodemailer) — ${what}`);
        assert.equal(before.html, r.html, `HTML part (nodemailer) — ${what}`);
        assert.equal(now.subject, r.subject, what);
        assert.equal(now.subject, before.subject, what);
        assert.deepEqual(now.from?.value, before.from?.value, what);
        assert.deepEqual(now.to, before.to, what);
        assert.equal(now.messageId, '<outbox-42@residence.example>', what);
        assert.equal(now.date?.toISOString(), before.date?.toISOString(), what);
        assert.equal(now.headers.get('auto-submitted'), 'auto-generated', what);
        assert.equal(now.attachments.length, 0, what);
        assert.deepEqual(built.envelope, {
          from: 'no-reply@residence.example',
          // nodemailer writes the domain in lower case (its punycode step)
          to: [to.replace(/@.*/, (d) => d.toLowerCase())],
        });
        // 7-bit, CRLF only; body lines of 76 characters (RFC 2045), header lines folded by
        // nodemailer (an address it cannot fold stays whole, within RFC 5322's 998).
        const wire = built.raw.toString('latin1');
        assert.ok(
          built.raw.every((byte) => byte < 0x80),
          `${what}: 7-bit`,
        );
        assert.doesNotMatch(wire, /[^\r]\n|\r[^\n]/, what);
        const [head = '', ...body] = wire.split('\r\n\r\n');
        for (const line of body.join('\r\n').split('\r\n')) assert.ok(line.length <= 76, `${what}: ${line}`);
        for (const line of head.split('\r\n')) {
          assert.ok(line.length <= (line.includes(to) ? 998 : 78), `${what}: ${line}`);
        }
        checked++;
      }
    }
  }
  assert.equal(checked, Object.keys(TEMPLATES).length * LANGS.length * FROMS.length);
});
