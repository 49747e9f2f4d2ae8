// `tsx mailcatcher/main.ts` (started by `npm start`): the local mail catcher.
// MAILCATCHER_SMTP_PORT (default 2525) and MAILCATCHER_HTTP_PORT (default 3002), on 127.0.0.1 only.
import { startMailCatcher } from './catcher.ts';

function port(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
    console.error(
      `configuration error: ${name}: expected a port from 1 to 65535, got ${JSON.stringify(raw)}`,
    );
    process.exit(1);
  }
  return n;
}

const catcher = await startMailCatcher({
  smtpPort: port('MAILCATCHER_SMTP_PORT', 2525),
  httpPort: port('MAILCATCHER_HTTP_PORT', 3002),
});
console.log(`mail catcher: ${catcher.url} (SMTP 127.0.0.1:${catcher.smtpPort})`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await catcher.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
