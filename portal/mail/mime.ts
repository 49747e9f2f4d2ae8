import { randomBytes } from 'node:crypto';
import MimeNode from 'nodemailer/lib/mime-node';

/**
 * One outbox message as a finished MIME buffer, sent with nodemailer's `raw` (decision 1020).
 * nodemailer's own composer streams every part through a chain of Transform streams (quoted-
 * printable detection and wrapping, header folding) and the SMTP connection writes each chunk to
 * the socket on its own: about a third of the worker's CPU per email. Here the header block is
 * still nodemailer's (MimeNode.buildHeaders: the same address, subject and date encoding), and
 * the two parts are always the same shape: text/plain then text/html, UTF-8, base64 (native,
 * and shorter than quoted-printable for the Japanese half), CRLF line breaks as on the wire.
 * The whole message is one buffer, so the SMTP connection writes it in one go.
 */
export interface MimeFields {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  headers: Record<string, string>;
}

export interface BuiltMime {
  /** The SMTP envelope, as nodemailer derives it from From and To. */
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/** base64 in lines of 76 characters (RFC 2045), text line breaks as CRLF first (canonical form). */
function base64Lines(text: string): string {
  const b64 = Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

export function buildMime(m: MimeFields): BuiltMime {
  // The boundary cannot occur in base64 lines ('_' is not in the alphabet); random all the same,
  // so a message forwarded inside another never shares its boundary.
  const boundary = `--_RO-${randomBytes(8).toString('hex')}-alt`;
  const root = new MimeNode(`multipart/alternative; boundary="${boundary}"`);
  root.setHeader({ ...m.headers, From: m.from, To: m.to, Subject: m.subject, 'Message-ID': m.messageId });
  root.setHeader('Date', m.date.toUTCString().replace(/GMT/, '+0000'));
  const envelope = root.getEnvelope();
  const raw = [
    root.buildHeaders(),
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { envelope: { from: envelope.from || '', to: envelope.to }, raw: Buffer.from(raw, 'utf8') };
}
