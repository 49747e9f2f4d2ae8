// Child processes of the bench (portal, outbox worker, hello world): started with
// `node --import tsx <file>`, or plain `node <file.js>` for the built portal (dist/), so
// /proc/<pid> is the Node process itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export class Child {
  readonly proc: ChildProcess;
  readonly output: string[] = [];
  #exited: Promise<number | null>;

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    nodeArgs: string[] = [],
  ) {
    const loader = /\.tsx?$/.test(script) ? ['--import', 'tsx'] : [];
    this.proc = spawn(process.execPath, [...nodeArgs, ...loader, script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.output.push(line);
        if (this.output.length > 200) this.output.shift();
        // warn and above come through (LOG_LEVEL=warn); show them as they happen.
        if (/"level":(40|50|60)|error/i.test(line))
          process.stderr.write(`  [${name}] ${line.slice(0, 400)}\n`);
      }
    };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.#exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Polls `url` until it answers 200 (or the child exits / the time runs out). */
  async ready(url: string, timeoutMs = 120_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (!this.running) {
        throw new Error(`${this.name} exited (${this.proc.exitCode}):\n${this.output.slice(-20).join('\n')}`);
      }
      try {
        const r = await fetch(url);
        await r.arrayBuffer();
        if (r.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.output.slice(-20).join('\n')}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}
