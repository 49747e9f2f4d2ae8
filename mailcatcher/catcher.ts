// The local mail catcher: a real SMTP server (smtp-server) that keeps what it receives in
// memory, and a small web inbox (mailparser) to read it. For development and tests only:
// it accepts mail for any address and never relays.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  id: number;
  receivedAt: Date;
  envelopeFrom: string;
  envelopeTo: string[];
  messageId: string | undefined;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | undefined;
  raw: string;
}

export interface MailCatcherOptions {
  smtpPort?: number;
  httpPort?: number;
  host?: string;
  /** Oldest messages are dropped beyond this. */
  keep?: number;
}

export interface MailCatcher {
  smtpPort: number;
  httpPort: number;
  url: string;
  messages: CaughtMessage[];
  /** Resolves with the next message that matches (or one already caught). */
  waitFor(match: (m: CaughtMessage) => boolean, timeoutMs?: number): Promise<CaughtMessage>;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'none'",
  // The email's own HTML (inside the sandboxed srcdoc frame) carries inline styles.
  "style-src 'unsafe-inline'",
  'img-src data:',
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const keep = options.keep ?? 500;
  const messages: CaughtMessage[] = [];
  const waiters = new Set<{ match: (m: CaughtMessage) => boolean; resolve: (m: CaughtMessage) => void }>();
  let nextId = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    // No TLS on the loopback catcher (nodemailer would refuse the self-signed certificate).
    disabledCommands: ['STARTTLS'],
    size: 10 * 1024 * 1024,
    logger: false,
    banner: 'Residence Online mail catcher',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const m: CaughtMessage = {
              id: nextId++,
              receivedAt: new Date(),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              messageId: parsed.messageId,
              from: parsed.from?.text ?? '',
              to: Array.isArray(parsed.to)
                ? parsed.to.map((a) => a.text).join(', ')
                : (parsed.to?.text ?? ''),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : undefined,
              raw: raw.toString('utf8'),
            };
            messages.push(m);
            if (messages.length > keep) messages.shift();
            for (const w of waiters) {
              if (w.match(m)) {
                waiters.delete(w);
                w.resolve(m);
              }
            }
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, () => resolve());
  });
  smtp.on('error', () => {});
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 would read the
  // inbox (password links) as its own origin. Such requests carry their own Host: answer 421.
  let ownHosts = new Set<string>();
  const http: Server = createServer((req, res) => {
    if (!ownHosts.has(req.headers.host ?? '')) {
      send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request: unknown Host\n');
      return;
    }
    try {
      route(req, res, messages, smtpPort);
    } catch {
      send(res, 500, 'text/plain; charset=utf-8', 'internal error');
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 0, host, () => resolve());
  });
  const httpPort = (http.address() as AddressInfo).port;
  const names = host === '127.0.0.1' ? ['localhost', '127.0.0.1'] : [host.includes(':') ? `[${host}]` : host];
  ownHosts = new Set(names.map((n) => `${n}:${httpPort}`));

  return {
    smtpPort,
    httpPort,
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${httpPort}`,
    messages,
    waitFor(match, timeoutMs = 10_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w)) reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    async close() {
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => http.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function route(req: IncomingMessage, res: ServerResponse, messages: CaughtMessage[], smtpPort: number): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    return;
  }
  if (url.pathname === '/') {
    send(res, 200, 'text/html; charset=utf-8', inboxPage(messages, smtpPort));
    return;
  }
  if (url.pathname === '/api/messages') {
    send(
      res,
      200,
      'application/json; charset=utf-8',
      JSON.stringify(messages.map(({ raw: _raw, ...m }) => m)),
    );
    return;
  }
  const m = /^\/messages\/(\d+)(\/raw)?$/.exec(url.pathname);
  const msg = m ? messages.find((x) => x.id === Number(m[1])) : undefined;
  if (!msg) {
    send(
      res,
      404,
      'text/html; charset=utf-8',
      page('Not found', '<h1>Message not found</h1><p><a href="/">Back to the inbox</a></p>'),
    );
    return;
  }
  if (m?.[2]) send(res, 200, 'text/plain; charset=utf-8', msg.raw);
  else send(res, 200, 'text/html; charset=utf-8', messagePage(msg));
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.6}
main{max-width:60rem;margin:0 auto;padding:1rem}a{color:#0017c1}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #767676;vertical-align:top}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f2f2f2;padding:1rem;border:1px solid #767676}
iframe{width:100%;height:40rem;border:1px solid #767676;background:#fff}dt{font-weight:bold}dd{margin:0 0 .5rem 0}
:focus-visible{outline:3px solid #0017c1;outline-offset:2px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} | Mail catcher</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function inboxPage(messages: CaughtMessage[], smtpPort: number): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${esc(m.receivedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC</td><td>${esc(m.envelopeTo.join(', '))}</td><td><a href="/messages/${m.id}">${esc(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  const body = messages.length
    ? `<table><caption>${messages.length} message${messages.length === 1 ? '' : 's'}, newest first</caption><thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>No messages yet.</p>';
  return page(
    'Inbox',
    `<h1>Mail catcher</h1><p>Every email sent to SMTP port ${smtpPort} on this computer is kept here (in memory) and never delivered. <a href="/">Refresh</a></p>${body}`,
  );
}

function messagePage(m: CaughtMessage): string {
  // Links open in a new tab: the portal refuses to be framed.
  const html = m.html?.replace(/<head([^>]*)>/i, '<head$1><base target="_blank">');
  return page(
    m.subject || '(no subject)',
    `<p><a href="/">Back to the inbox</a></p><h1>${esc(m.subject || '(no subject)')}</h1>
<dl><dt>From</dt><dd>${esc(m.from)}</dd><dt>To</dt><dd>${esc(m.to)}</dd><dt>Received</dt><dd>${esc(m.receivedAt.toISOString())}</dd><dt>Message-ID</dt><dd>${esc(m.messageId ?? '')}</dd></dl>
<h2>Text</h2><pre id="text-body">${esc(m.text)}</pre>
${html ? `<h2>HTML</h2><iframe title="HTML version of the message" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${esc(html)}"></iframe>` : '<p>This message has no HTML part.</p>'}
<p><a href="/messages/${m.id}/raw">Show the raw message</a></p>`,
  );
}
