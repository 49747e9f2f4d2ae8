// `npm start`: the whole system on embedded defaults — the portal (PGlite under data/),
// the user client software with a virtual reader holding the demo cards, and the local mail
// catcher. First start creates the development PKI and the demo cards under data/.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_CARDS, ensureDemoCards } from '../card/pki/demo.ts';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'));
const portalPort = process.env.PORT ?? '3000';
const clientPort = process.env.CLIENT_PORT ?? '3001';
const publicOrigin = process.env.PUBLIC_ORIGIN ?? `http://localhost:${portalPort}`;

console.log('Residence Online — starting the portal, the user client software and the mail catcher');
const issued = await ensureDemoCards(dataDir, (line) => console.log(`  ${line}`));
if (issued.length) console.log(`  demo cards issued: ${issued.join(', ')}`);

const env = {
  ...process.env,
  DATA_DIR: dataDir,
  PORT: portalPort,
  PUBLIC_ORIGIN: publicOrigin,
  CLIENT_PORT: clientPort,
  CARD_DIR: process.env.CARD_DIR ?? path.join(dataDir, 'cards'),
  CLIENT_ALLOWED_ORIGINS: process.env.CLIENT_ALLOWED_ORIGINS ?? publicOrigin,
};

interface Program {
  name: string;
  entry: string;
}
const programs: Program[] = [
  { name: 'portal', entry: 'portal/main.ts' },
  { name: 'client', entry: 'client/main.ts' },
  { name: 'mail', entry: 'mailcatcher/main.ts' },
].filter((p) => existsSync(path.join(root, p.entry)));

const children = new Map<string, ChildProcess>();
let stopping = false;

/** Pino's JSON lines, shortened for a console; other output passes through. */
function show(name: string, line: string): void {
  const tag = `[${name}]`.padEnd(9);
  if (line.startsWith('{')) {
    try {
      const log = JSON.parse(line) as {
        level?: number;
        msg?: string;
        req?: { method?: string; path?: string };
        res?: { statusCode?: number };
        responseTime?: number;
        err?: { message?: string };
      };
      const level = log.level ?? 30;
      if (level < 30) return;
      if (log.msg === 'incoming request') return;
      const tagLevel = level >= 50 ? 'ERROR ' : level >= 40 ? 'WARN  ' : '';
      const extra = log.res ? ` ${log.res.statusCode} ${Math.round(log.responseTime ?? 0)}ms` : '';
      console.log(
        `${tag} ${tagLevel}${log.msg ?? ''}${extra}${log.err?.message ? `: ${log.err.message}` : ''}`,
      );
      return;
    } catch {
      // not JSON after all
    }
  }
  console.log(`${tag} ${line}`);
}

for (const p of programs) {
  const child = spawn(process.execPath, ['--import', 'tsx', p.entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(p.name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => show(p.name, line));
  }
  child.on('exit', (code, signal) => {
    children.delete(p.name);
    if (!stopping) {
      console.error(`[${p.name}] stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the rest`);
      process.exitCode = 1;
      stop();
    } else if (children.size === 0) {
      process.exit();
    }
  });
}

console.log('');
console.log('  Demo cards (virtual reader; choose one on the client software status page):');
for (const card of DEMO_CARDS) {
  console.log(
    `    ${card.id.padEnd(14)} sign password ${card.signPassword}, user ID PIN ${card.authPin} — ${card.description.en}`,
  );
}
console.log('');
console.log(`  Portal:           ${publicOrigin}`);
console.log(`  Client software:  http://127.0.0.1:${clientPort}`);
console.log(`  Mail catcher:     http://localhost:${process.env.MAILCATCHER_HTTP_PORT ?? '3002'}`);
console.log('  Stop with Ctrl+C.');
console.log('');

function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => process.exit(process.exitCode ?? 0), 20_000).unref();
  if (children.size === 0) process.exit();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
