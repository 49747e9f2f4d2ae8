// `npx tsx bench/outbox.ts`: the outbox worker's CPU per email, alone. A fresh PostgreSQL
// database is filled with N queued messages (as registrations queue them: registration-complete,
// a sealed link secret), the SMTP sink runs in a child process, and this process drains the
// queue with OutboxWorker.runOnce() until nothing is due, timing its own CPU (process.cpuUsage)
// and, with --cpu-prof, profiling exactly the drain (node:inspector). A first batch warms up.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { sealSecret } from '../portal/mail/secret.ts';
import { OutboxWorker } from '../portal/mail/worker.ts';
import { loadPortalConfig } from '../portal/portal-config.ts';
import { openPostgres } from '../portal/store/db.ts';
import { migrate } from '../portal/store/migrate.ts';
import { ROOT } from './lib/children.ts';
import { createBenchDatabase } from './lib/pg.ts';
import { type CpuProfile, summarizeProfile } from './lib/profile.ts';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '300' },
    langs: { type: 'string', default: 'en' },
    'cpu-prof': { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
  },
});
const N = Number(args.messages);
const WARMUP = Number(args.warmup);
const LANGS = args.langs!.split(',') as ('ja' | 'en' | 'ja-easy')[];
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (s: string) => process.stdout.write(`${s}\n`);

const sinkProc = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/sink-child.ts'], {
  cwd: ROOT,
  stdio: ['pipe', 'pipe', 'inherit'],
});
let pending: ((line: string) => void) | undefined;
let buf = '';
sinkProc.stdout!.setEncoding('utf8').on('data', (c: string) => {
  buf += c;
  let i = buf.indexOf('\n');
  while (i >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    const p = pending;
    pending = undefined;
    p?.(line);
    i = buf.indexOf('\n');
  }
});
const nextLine = () => new Promise<string>((r) => (pending = r));
const sinkPort = Number((await nextLine()).split(' ')[1]);
async function sinkCount(): Promise<[number, number]> {
  const l = nextLine();
  sinkProc.stdin!.write('count\n');
  const [, m, c] = (await l).split(' ');
  return [Number(m), Number(c)];
}

const dbName = `ro_bench_outbox_${randomBytes(4).toString('hex')}`;
const bdb = await createBenchDatabase(SERVER_URL, dbName);
const database = await openPostgres(bdb.url, 3);
try {
  await migrate(database.db);
  const config = loadPortalConfig({
    LOG_LEVEL: 'warn',
    PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
    MAIL_SECRET_KEY: randomBytes(32).toString('base64url'),
  });
  const expires = new Date(Date.now() + 24 * 3600_000).toISOString();
  const rows = Array.from({ length: N + WARMUP }, (_, i) => ({
    template: 'registration-complete',
    to_address: `applicant${i}@bench.example`,
    lang: LANGS[i % LANGS.length]!,
    payload: JSON.stringify({
      userId: `7K3M9QXD${String(i).padStart(4, '0')}`,
      userName: `HOUMU TARO ${i}`,
      linkExpiresAt: expires,
    }),
    secret_ciphertext: sealSecret(randomBytes(32).toString('base64url'), config.mail.secretKeys),
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await database.db
      .insertInto('outbox')
      .values(rows.slice(i, i + 500))
      .execute();
  }
  const worker = new OutboxWorker({ db: database.db, config, logger: pino({ level: 'warn' }) });
  // Warm-up: connections, JIT.
  let warmed = 0;
  while (warmed < WARMUP) warmed += await worker.runOnce();
  const session = new Session();
  if (args['cpu-prof']) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  const load0 = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  for (;;) {
    const n = await worker.runOnce();
    if (n === 0) break;
    sent += n;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  let profile: CpuProfile | undefined;
  if (args['cpu-prof']) {
    profile = (await session.post('Profiler.stop')).profile as unknown as CpuProfile;
    session.disconnect();
  }
  const [messages, connections] = await sinkCount();
  await worker.stop();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  log(
    `outbox bench: ${sent} messages (${LANGS.join(',')}) after ${warmed} warm-up; sink got ${messages} over ${connections} connections; load ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
  );
  log(
    `  CPU ${(cpuMs / sent).toFixed(3)} ms/email (user ${(cpu.user / 1000 / sent).toFixed(3)}, system ${(cpu.system / 1000 / sent).toFixed(3)}); wall ${(wall / sent).toFixed(3)} ms/email, ${((sent / wall) * 1000).toFixed(0)} emails/s`,
  );
  if (profile) {
    const file = path.join(
      ROOT,
      'bench',
      'results',
      `outbox-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
    );
    writeFileSync(file, JSON.stringify(profile));
    const s = summarizeProfile(profile, Number(args.top));
    log(`  profile ${path.relative(ROOT, file)}, ${s.totalMs.toFixed(0)} ms sampled (self time):`);
    for (const l of s.owners) log(`    ${(l.share * 100).toFixed(1).padStart(5)} %  ${l.name}`);
    log('');
    for (const l of s.functions) log(`    ${(l.share * 100).toFixed(1).padStart(5)} %  ${l.name}`);
  }
} finally {
  await database.close();
  await bdb.drop();
  sinkProc.stdin!.end();
}
