import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { outboxDeliveryFailures, outboxSent } from '../metrics.ts';
import type { PortalConfig } from '../portal-config.ts';
import {
  type ClaimedMessage,
  claimOutbox,
  markFailed,
  markRetry,
  markSentMany,
  releaseClaims,
} from '../store/outbox.ts';
import type { Db } from '../store/schema.ts';
import { buildMime } from './mime.ts';
import { openSecret } from './secret.ts';
import { fromDomainOf, type MailTemplate, renderMail } from './templates.tsx';

export interface OutboxWorkerOptions {
  db: Db;
  config: Pick<PortalConfig, 'mail' | 'publicOrigin' | 'passwordLinkHours'>;
  logger: Logger;
  now?: () => Date;
  workerId?: string;
  /** How often to look for due messages when the last look found none. */
  pollMs?: number;
  batchSize?: number;
  /** A claimed message not finished within this time is taken over by another worker. */
  leaseMs?: number;
  /** Attempts before a message is marked failed. */
  maxAttempts?: number;
  /** Delay before attempt n+1 after n failed attempts. */
  backoffMs?: (attempts: number) => number;
  transport?: Transporter;
}

/**
 * 30 s, 1, 2, 4 … minutes (`firstMs` doubling; OUTBOX_RETRY_SECONDS), at most an hour, with ±20 %
 * jitter so retries of many workers spread out.
 */
export function defaultBackoff(attempts: number, firstMs = 30_000): number {
  const base = Math.min(3_600_000, firstMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * nodemailer reads options from the URL's query. Timeouts: a slow server must not hold a
 * claimed row past its lease. Pooling: a new SMTP connection per message cost about 110 ms
 * and 7 ms of CPU in the benchmark; a pool of two reused connections about 6 ms (decision 0502).
 */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [k, v] of [
    ['connectionTimeout', '20000'],
    ['greetingTimeout', '20000'],
    ['socketTimeout', '60000'],
    ['pool', 'true'],
    ['maxConnections', '2'],
  ] as const) {
    if (!url.searchParams.has(k)) url.searchParams.set(k, v);
  }
  return url.toString();
}

const PARALLEL_SENDS = 4;

interface SmtpError {
  code?: string;
  responseCode?: number;
}

/**
 * Delivers the outbox over SMTP. Several workers may run (in portal processes and as
 * `tsx portal/worker.ts`): rows are claimed with FOR UPDATE SKIP LOCKED and a lease; the messages
 * sent side by side (at most PARALLEL_SENDS) are marked sent in one statement as soon as the
 * server has answered for all of them, so a crash loses nothing and repeats at most the messages
 * in flight (their Message-IDs are stable, so receiving systems can drop the copies).
 */
export class OutboxWorker {
  readonly id: string;
  #opts: Required<Omit<OutboxWorkerOptions, 'transport' | 'workerId'>>;
  /** Opened at the first delivery (nodemailer is loaded then, not at start: decision 1030). */
  #transport: Transporter | undefined;
  #opening: Promise<Transporter> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #sending: Promise<unknown> | undefined;
  #stopping = false;
  #log: Logger;

  constructor(opts: OutboxWorkerOptions) {
    this.id = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#opts = {
      db: opts.db,
      config: opts.config,
      logger: opts.logger,
      now: opts.now ?? (() => new Date()),
      pollMs: opts.pollMs ?? 1000,
      batchSize: opts.batchSize ?? 10,
      leaseMs: opts.leaseMs ?? 5 * 60_000,
      maxAttempts: opts.maxAttempts ?? 8,
      backoffMs: opts.backoffMs ?? defaultBackoff,
    };
    this.#log = opts.logger.child({ worker: this.id });
    const smtpUrl = opts.config.mail.smtpUrl;
    if (!opts.transport && !smtpUrl) throw new Error('SMTP_URL is not set: the outbox worker cannot deliver');
    this.#transport = opts.transport;
  }

  #openTransport(): Promise<Transporter> {
    this.#opening ??= import('nodemailer').then((nodemailer) => {
      this.#transport ??= nodemailer.default.createTransport(
        withTimeouts(this.#opts.config.mail.smtpUrl as string),
      );
      return this.#transport;
    });
    return this.#opening;
  }

  start(): void {
    this.#stopping = false;
    this.#log.info('outbox worker started');
    const loop = async () => {
      if (this.#stopping) return;
      let n = 0;
      this.#running = this.runOnce().then(
        (count) => {
          n = count;
        },
        (err) => this.#log.error({ err }, 'outbox: run failed'),
      );
      await this.#running;
      this.#running = undefined;
      // A full batch means more may be waiting: go on at once.
      if (!this.#stopping) this.#timer = setTimeout(loop, n >= this.#opts.batchSize ? 0 : this.#opts.pollMs);
    };
    this.#timer = setTimeout(loop, 0);
  }

  /** Finishes the message in flight, hands back the rest of the batch, and stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#running;
    // runOnce may also be called directly (tests, the CLI): let its messages in flight finish.
    await this.#sending;
    this.#transport?.close();
    this.#log.info('outbox worker stopped');
  }

  /** One batch; returns how many messages it claimed. */
  async runOnce(): Promise<number> {
    const { db, now, leaseMs, batchSize } = this.#opts;
    const batch = await claimOutbox(
      db,
      this.id,
      now(),
      leaseMs,
      batchSize,
      fromDomainOf(this.#opts.config.mail.from),
    );
    // A few messages at a time, one per pooled SMTP connection and then some, so a batch
    // is not a queue of round trips; stopping hands back whatever has not started.
    for (let i = 0; i < batch.length; i += PARALLEL_SENDS) {
      if (this.#stopping) {
        await releaseClaims(
          db,
          batch.slice(i).map((m) => m.id),
          this.id,
        );
        this.#log.info({ released: batch.length - i }, 'outbox: claims handed back on stop');
        break;
      }
      const group = batch.slice(i, i + PARALLEL_SENDS);
      // Marked even if another of the group could not be recorded (database error), then the error.
      const sending = Promise.allSettled(group.map((m) => this.#deliver(m))).then(async (results) => {
        await this.#markSent(group.filter((_, k) => results[k]?.status === 'fulfilled' && results[k].value));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      });
      this.#sending = sending;
      await sending;
    }
    return batch.length;
  }

  /** The messages of one group that the server accepted: one statement (decision 1020). */
  async #markSent(sent: ClaimedMessage[]): Promise<void> {
    if (sent.length === 0) return;
    const kept = new Set(
      await markSentMany(
        this.#opts.db,
        sent.map((m) => m.id),
        this.id,
        this.#opts.now(),
      ),
    );
    for (const m of sent) {
      const fields = { id: m.id, template: m.template, attempt: m.attempts };
      if (kept.has(m.id)) this.#log.info(fields, 'outbox: sent');
      else this.#log.warn(fields, 'outbox: sent after the lease ran out (another worker may repeat it)');
    }
  }

  /** Renders and sends one message; true once the server accepted it (marked sent with its group). */
  async #deliver(m: ClaimedMessage): Promise<boolean> {
    const { db, config, now, maxAttempts, backoffMs } = this.#opts;
    const fields = { id: m.id, template: m.template, attempt: m.attempts };
    let rendered: ReturnType<typeof renderMail>;
    try {
      const secret = m.secretCiphertext ? openSecret(m.secretCiphertext, config.mail.secretKeys) : undefined;
      rendered = renderMail(m.template as MailTemplate, m.lang, m.payload, secret, {
        publicOrigin: config.publicOrigin,
        fromDomain: fromDomainOf(config.mail.from),
        passwordLinkHours: config.passwordLinkHours,
      });
    } catch (err) {
      // Cannot render (unknown template, key changed): retrying will not help.
      // The reason names no address or content (a template name, a key id): safe to log.
      const reason = (err as Error).message;
      await markFailed(db, m.id, this.id, `render: ${reason}`);
      this.#log.error({ ...fields, reason }, 'outbox: failed (cannot render)');
      return false;
    }
    try {
      // One finished buffer: nodemailer's composer would stream it in many small writes (decision 1020).
      const mime = buildMime({
        from: config.mail.from,
        to: m.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        // Recorded in the row at claim time: a repeat after a crash carries the same one.
        messageId: m.messageId,
        date: now(),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      const transport = this.#transport ?? (await this.#openTransport());
      await transport.sendMail({ envelope: mime.envelope, raw: mime.raw });
    } catch (err) {
      const e = err as SmtpError & Error;
      const summary = `${e.code ?? 'ERROR'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${e.message.split('\n')[0]}`;
      const permanent = e.responseCode !== undefined && e.responseCode >= 500;
      outboxDeliveryFailures.inc({ outcome: permanent || m.attempts >= maxAttempts ? 'failed' : 'retry' });
      if (permanent || m.attempts >= maxAttempts) {
        await markFailed(db, m.id, this.id, summary);
        // Codes only: server replies can quote the address.
        this.#log.error({ ...fields, code: e.code, responseCode: e.responseCode }, 'outbox: failed');
      } else {
        const next = new Date(now().getTime() + backoffMs(m.attempts));
        await markRetry(db, m.id, this.id, next, summary);
        this.#log.warn(
          { ...fields, code: e.code, responseCode: e.responseCode, nextAttemptAt: next.toISOString() },
          'outbox: retry scheduled',
        );
      }
      return false;
    }
    outboxSent.inc();
    return true;
  }
}
