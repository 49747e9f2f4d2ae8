// `npm run outbox` — the outbox for operators: counts by state, the latest messages, failures.
//   npm run outbox                  summary and the 20 latest messages
//   npm run outbox -- failed        the failed messages with their last error
//   npm run outbox -- retry <id>    queue a failed message again (not for messages with a link:
//                                   their secret is erased; the user asks for a new link)
// Shows no addresses, payloads or secrets.
import { ConfigError } from '../../config/env.ts';
import { loadPortalConfig } from '../portal-config.ts';
import { openDatabase } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { listOutbox, type OutboxListRow, outboxSummary, requeueFailed } from '../store/outbox.ts';
import { type MailTemplate, TEMPLATES_WITH_SECRET } from './templates.tsx';

let config: ReturnType<typeof loadPortalConfig>;
try {
  config = loadPortalConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

const [command = 'summary', arg] = process.argv.slice(2);
if (!config.databaseUrl) {
  // PGlite's files belong to one process: opening them beside a running portal could damage them.
  const running = await fetch(`http://127.0.0.1:${config.port}/healthz`, {
    signal: AbortSignal.timeout(500),
  }).then(
    () => true,
    () => false,
  );
  if (running) {
    console.error(
      `The portal is running on port ${config.port} with the embedded PGlite database, whose files only its own process may open. Stop it first (its log shows every delivery: "outbox: sent", "outbox: retry scheduled", "outbox: failed"), or use PostgreSQL (DATABASE_URL).`,
    );
    process.exit(1);
  }
}
const database = await openDatabase(config.databaseUrl, config.dataDir);
await migrate(database.db);
const now = new Date();

function table(rows: OutboxListRow[]): void {
  if (rows.length === 0) {
    console.log('(none)');
    return;
  }
  for (const r of rows) {
    console.log(
      [
        `#${r.id}`.padEnd(8),
        r.state.padEnd(8),
        r.template.padEnd(22),
        `attempts ${r.attempts}`.padEnd(11),
        `created ${r.createdAt.toISOString()}`,
        r.state === 'sent' ? `sent ${r.sentAt?.toISOString()}` : `next ${r.nextAttemptAt.toISOString()}`,
        r.lastError ? `last error: ${r.lastError}` : '',
      ].join('  '),
    );
  }
}

try {
  if (command === 'summary') {
    const s = await outboxSummary(database.db, now);
    console.log(
      `outbox: queued ${s.counts.queued}, sending ${s.counts.sending}, sent ${s.counts.sent}, failed ${s.counts.failed}` +
        (s.oldestDueSeconds !== null ? `; oldest due for ${s.oldestDueSeconds} s` : ''),
    );
    table(await listOutbox(database.db, { limit: 20 }));
  } else if (command === 'failed') {
    table(await listOutbox(database.db, { state: 'failed', limit: 100 }));
  } else if (command === 'retry' && arg && /^\d+$/.test(arg)) {
    const [row] = (await listOutbox(database.db, { state: 'failed', limit: 1000 })).filter(
      (r) => r.id === arg,
    );
    if (!row) {
      console.error(`#${arg} is not a failed message`);
      process.exitCode = 1;
    } else if (TEMPLATES_WITH_SECRET.has(row.template as MailTemplate)) {
      console.error(`#${arg} carried a link whose secret was erased; the user can ask for a new link`);
      process.exitCode = 1;
    } else {
      await requeueFailed(database.db, arg, now);
      console.log(`#${arg} queued again`);
    }
  } else {
    console.error('usage: npm run outbox [-- failed | -- retry <id>]');
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
