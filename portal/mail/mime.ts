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

/** nodemailer's header block for these fields (the general case, and the cache's source). */
function nodemailerHeaders(
  m: MimeFields,
  date: string,
  boundary: string,
): { head: string; envelope: BuiltMime['envelope'] } {
  const root = new MimeNode(`multipart/alternative; boundary="${boundary}"`);
  root.setHeader({ ...m.headers, From: m.from, To: m.to, Subject: m.subject, 'Message-ID': m.messageId });
  root.setHeader('Date', date);
  const envelope = root.getEnvelope();
  return { head: root.buildHeaders(), envelope: { from: envelope.from || '', to: envelope.to } };
}

/**
 * An address and a Message-ID that nodemailer writes as they are (no encoding, no folding, the
 * domain already in lower case as its punycode step leaves it) can go into a cached header block.
 */
const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9.-]{0,62}[a-z0-9])?$/;
const PLAIN_MESSAGE_ID = /^<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]{1,68}>$/;
const TO = 'to@placeholder.invalid';
const MESSAGE_ID = '<message-id@placeholder.invalid>';
const DATE = 'Date-placeholder';
const BOUNDARY = 'boundary-placeholder';

/** Header blocks by From, Subject and extra headers: the same for every message of a template and language. */
const cache = new Map<string, { head: string; envelopeFrom: string } | null>();

function headers(
  m: MimeFields,
  date: string,
  boundary: string,
): { head: string; envelope: BuiltMime['envelope'] } {
  if (!PLAIN_ADDRESS.test(m.to) || !PLAIN_MESSAGE_ID.test(m.messageId))
    return nodemailerHeaders(m, date, boundary);
  const key = JSON.stringify([m.from, m.subject, m.headers]);
  let cached = cache.get(key);
  if (cached === undefined) {
    const built = nodemailerHeaders({ ...m, to: TO, messageId: MESSAGE_ID }, DATE, BOUNDARY);
    // Each placeholder where it is replaced below, or no cached block for these fields.
    const usable = [`\r\nTo: ${TO}\r\n`, `\r\nMessage-ID: ${MESSAGE_ID}\r\n`, `\r\nDate: ${DATE}\r\n`].every(
      (p) => built.head.includes(p),
    );
    if (cache.size >= 256) cache.clear();
    cached =
      usable && built.head.includes(BOUNDARY)
        ? { head: built.head, envelopeFrom: built.envelope.from }
        : null;
    cache.set(key, cached);
  }
  if (cached === null) return nodemailerHeaders(m, date, boundary);
  const head = cached.head
    .replace(`\r\nTo: ${TO}\r\n`, `\r\nTo: ${m.to}\r\n`)
    .replace(`\r\nMessage-ID: ${MESSAGE_ID}\r\n`, `\r\nMessage-ID: ${m.messageId}\r\n`)
    .replace(`\r\nDate: ${DATE}\r\n`, `\r\nDate: ${date}\r\n`)
    .replace(`boundary="${BOUNDARY}"`, `boundary="${boundary}"`)
    .replace(`boundary=${BOUNDARY}`, `boundary="${boundary}"`);
  return { head, envelope: { from: cached.envelopeFrom, to: [m.to] } };
}

export function buildMime(m: MimeFields): BuiltMime {
  // The boundary cannot occur in base64 lines ('_' is not in the alphabet); random all the same,
  // so a message forwarded inside another never shares its boundary.
  const boundary = `--_RO-${randomBytes(8).toString('hex')}-alt`;
  const { head, envelope } = headers(m, m.date.toUTCString().replace(/GMT/, '+0000'), boundary);
  const raw = [
    head,
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
  return { envelope, raw: Buffer.from(raw, 'utf8') };
}
