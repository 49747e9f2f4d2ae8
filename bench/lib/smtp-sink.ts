// An SMTP server that accepts every message and discards it, counting messages per recipient.
import { SMTPServer } from 'smtp-server';

export class SmtpSink {
  readonly #server: SMTPServer;
  readonly perRecipient = new Map<string, number>();
  messages = 0;
  /** SMTP connections opened: one per message means the sender does not reuse connections. */
  connections = 0;
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      // smtp-server looks up the client's name by default: that would make the sink the bottleneck.
      disableReverseLookup: true,
      logger: false,
      size: 1024 * 1024,
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onData: (stream, session, callback) => {
        stream.on('data', () => {});
        stream.on('end', () => {
          this.messages++;
          for (const r of session.envelope.rcptTo) {
            const a = r.address.toLowerCase();
            this.perRecipient.set(a, (this.perRecipient.get(a) ?? 0) + 1);
          }
          callback();
        });
      },
    });
  }

  listen(): Promise<number> {
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
