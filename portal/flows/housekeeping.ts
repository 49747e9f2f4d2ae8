// Housekeeping in one place: every periodic clean-up and the password reminders, on one timer.
// Started by the portal (portal/main.ts) and by each `npm run worker` process (portal/worker.ts);
// every job is safe to run on several instances at once (deletes of expired rows; reminders are
// recorded in the same transaction as their outbox row, so none is queued twice).
// See docs/decisions/0814-housekeeping-in-one-place.md.

import { queueDueReminders } from '../mail/reminders.ts';
import { sweepAccountTables } from '../store/accounts.ts';
import { deleteExpiredCardSessions } from '../store/card-sessions.ts';
import { deleteExpiredDrafts } from '../store/drafts.ts';
import type { Db } from '../store/schema.ts';
import { deleteExpiredSessions } from '../store/sessions.ts';

const HOUR = 3_600_000;

export interface HousekeepingJob {
  name: string;
  run(db: Db, now: Date): Promise<unknown>;
}

/** What is kept how long is decided in each store function; here only what runs. */
export const HOUSEKEEPING_JOBS: readonly HousekeepingJob[] = [
  // Signed-in sessions past their idle or absolute end (anonymous ones live in the cookie).
  { name: 'sessions', run: (db, now) => deleteExpiredSessions(db, now) },
  // Expired drafts hold personal data.
  { name: 'drafts', run: (db, now) => deleteExpiredDrafts(db, now) },
  // Card sessions a day after they expired (a late callback still finds its row until then).
  {
    name: 'card sessions',
    run: (db, now) => deleteExpiredCardSessions(db, new Date(now.getTime() - 24 * HOUR)),
  },
  // Old password and email links, idle sign-in throttle rows, delivered mail after 30 days.
  { name: 'links, throttle rows, sent mail', run: (db, now) => sweepAccountTables(db, now) },
  // Reminders 30 and 7 days before a password expires (queued in the outbox).
  { name: 'password reminders', run: (db, now) => queueDueReminders(db, now) },
];

export interface HousekeepingLog {
  warn(fields: object, message: string): void;
}

export interface HousekeepingOptions {
  db: Db;
  log: HousekeepingLog;
  now?: () => Date;
  /** Time between runs; the first run starts right away. */
  periodMs?: number;
  jobs?: readonly HousekeepingJob[];
}

export class Housekeeping {
  readonly #db: Db;
  readonly #log: HousekeepingLog;
  readonly #now: () => Date;
  readonly #periodMs: number;
  readonly #jobs: readonly HousekeepingJob[];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(o: HousekeepingOptions) {
    this.#db = o.db;
    this.#log = o.log;
    this.#now = o.now ?? (() => new Date());
    this.#periodMs = o.periodMs ?? 5 * 60_000;
    this.#jobs = o.jobs ?? HOUSEKEEPING_JOBS;
  }

  /** Every job once, in order; one failing does not keep the others from running. Returns the failed ones. */
  async runOnce(): Promise<string[]> {
    const failed: string[] = [];
    for (const job of this.#jobs) {
      try {
        await job.run(this.#db, this.#now());
      } catch (err) {
        failed.push(job.name);
        this.#log.warn({ err, job: job.name }, 'housekeeping: job failed (tried again next run)');
      }
    }
    return failed;
  }

  start(): this {
    const tick = () => {
      // Stopped, or a run still going (a slow database): not overlapped by the next.
      if (!this.#timer || this.#running) return;
      this.#running = this.runOnce().finally(() => {
        this.#running = undefined;
      });
    };
    this.#timer = setInterval(tick, this.#periodMs);
    this.#timer.unref();
    setImmediate(tick);
    return this;
  }

  /** Stops the timer and waits for a run in progress (before the database is closed). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
