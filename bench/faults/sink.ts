// The harness's mailbox: an SMTP server that accepts everything, de-duplicates on Message-ID (as a
// receiving system may), and can be taken "down" (every connection and message refused with 421,
// a temporary failure) to stand in for an SMTP outage.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export class FaultSink {
  readonly #server: SMTPServer;
  /** Distinct Message-IDs per recipient (what the applicant's mailbox shows). */
  readonly perRecipient = new Map<string, Set<string>>();
  readonly #seen = new Set<string>();
  /** Messages received again under a Message-ID already delivered (dropped here). */
  duplicates = 0;
  /** Messages accepted (duplicates included). */
  received = 0;
  /** Messages and connections refused while down. */
  refused = 0;
  down = false;
  /** ms the sink waits before accepting each message (widens the worker's in-flight window). */
  delayMs = 0;
  /** Recipients whose password-setting link is kept (the soak signs them in). */
  readonly wantLinks = new Set<string>();
  readonly links = new Map<string, string>();
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      size: 1024 * 1024,
      onConnect: (_session, callback) => {
        if (!this.down) return callback();
        this.refused++;
        callback(Object.assign(new Error('service not available (fault injected)'), { responseCode: 421 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.down) {
            this.refused++;
            return callback(
              Object.assign(new Error('try again later (fault injected)'), { responseCode: 421 }),
            );
          }
          const raw = Buffer.concat(chunks);
          const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('latin1');
          const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? `<no-id-${this.received}>`;
          const finish = () => {
            this.received++;
            if (this.#seen.has(id)) this.duplicates++;
            else {
              this.#seen.add(id);
              for (const r of session.envelope.rcptTo) {
                const a = r.address.toLowerCase();
                const s = this.perRecipient.get(a) ?? new Set<string>();
                this.perRecipient.set(a, s.add(id));
                if (this.wantLinks.has(a)) void this.#keepLink(a, raw);
              }
            }
            callback();
          };
          if (this.delayMs > 0) setTimeout(finish, this.delayMs);
          else finish();
        });
      },
    });
  }

  async #keepLink(address: string, raw: Buffer): Promise<void> {
    const mail = await simpleParser(raw);
    const link = /https?:\/\/\S+\/password\/set\?token=[^\s">]+/.exec(mail.text ?? '')?.[0];
    if (link) this.links.set(address, link);
  }

  /** Distinct messages delivered to these recipients, and recipients with more than one. */
  delivered(addresses: Iterable<string>): { delivered: number; doubled: number } {
    let delivered = 0;
    let doubled = 0;
    for (const a of addresses) {
      const n = this.perRecipient.get(a.toLowerCase())?.size ?? 0;
      delivered += n;
      if (n > 1) doubled++;
    }
    return { delivered, doubled };
  }

  listen(): Promise<number> {
    // A sender killed mid-conversation resets its connection: an event, not the sink's end.
    this.#server.on('error', () => {});
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        const a = this.#server.server.address();
        this.port = typeof a === 'object' && a ? a.port : 0;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
