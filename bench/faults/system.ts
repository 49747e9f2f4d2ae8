// The real system the fault harness runs, all on this machine and all its own: a throwaway
// PostgreSQL cluster (initdb + pg_ctl on a free port under a temp dir; never the shared 5432),
// its own redis-server, HAProxy in front of two portal instances, and a separate outbox worker.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Child, freePort } from '../lib/children.ts';

const log = (s: string) => process.stderr.write(`  ${s}\n`);

/**
 * Every process the harness started, and the PostgreSQL data directories: whatever way the
 * harness ends (even an uncaught error), they are stopped by pid when it exits.
 */
const started = new Set<number>();
const clusters = new Set<string>();
export const track = (pid: number | undefined) => pid && started.add(pid);
process.on('exit', () => {
  for (const dir of clusters) {
    try {
      const pid = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid) process.kill(pid, 'SIGQUIT'); // immediate shutdown
    } catch {}
  }
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process that is not Node (redis-server, haproxy): output kept, stopped by its pid only. */
export class Proc {
  readonly proc: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
  ) {
    this.proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(this.proc.pid);
    const keep = (c: Buffer) => {
      for (const line of c.toString('utf8').split('\n')) if (line.trim()) this.output.push(line);
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
  }
  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }
  async stop(): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(t);
  }
}

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin');
  return path.join(root, versions[0], 'bin');
}

/** initdb refuses to run as root: the cluster belongs to the postgres user then. */
function asPostgres(cmd: string, args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

function run(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class ThrowawayPostgres {
  readonly bin = pgBin();
  readonly dir: string;
  port = 0;
  constructor(tmp: string) {
    this.dir = path.join(tmp, 'pg');
  }
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/faults`;
  }
  async init(): Promise<void> {
    this.port = await freePort();
    mkdirSync(this.dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const uid = Number(run(['id', '-u', 'postgres']).trim());
      const gid = Number(run(['id', '-g', 'postgres']).trim());
      chownSync(this.dir, uid, gid);
      chownSync(path.dirname(this.dir), uid, gid);
    }
    run(
      asPostgres(path.join(this.bin, 'initdb'), [
        '-D',
        path.join(this.dir, 'data'),
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
      ]),
    );
    // fsync off: the faults here are process crashes and restarts (the OS keeps the written
    // pages), not power loss; it keeps the shared machine's disk out of the figures.
    writeFileSync(
      path.join(this.dir, 'data', 'postgresql.auto.conf'),
      `port = ${this.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${this.dir}'\nfsync = off\nmax_connections = 100\n`,
    );
    if (process.getuid?.() === 0) run(['chown', '-R', 'postgres:postgres', this.dir]);
    clusters.add(path.join(this.dir, 'data'));
    await this.start();
    run(asPostgres(path.join(this.bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(this.port), 'faults']));
  }
  /** Asynchronous: the load goes on while the server stops and starts. */
  async #ctl(args: string[]): Promise<void> {
    const argv = asPostgres(path.join(this.bin, 'pg_ctl'), [
      '-D',
      path.join(this.dir, 'data'),
      '-l',
      path.join(this.dir, 'log'),
      '-w',
      ...args,
    ]);
    await promisify(execFile)(argv[0]!, argv.slice(1));
  }
  start(): Promise<void> {
    return this.#ctl(['start']);
  }
  stop(): Promise<void> {
    return this.#ctl(['stop', '-m', 'fast']);
  }
  restart(): Promise<void> {
    return this.#ctl(['restart', '-m', 'fast']);
  }
  async destroy(): Promise<void> {
    await this.#ctl(['stop', '-m', 'immediate']).catch(() => {});
  }
}

export class ThrowawayRedis {
  port = 0;
  #proc: Proc | undefined;
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.#proc = new Proc('redis', 'redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    for (let i = 0; i < 50; i++) {
      try {
        run(['redis-cli', '-p', String(this.port), 'ping']);
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`redis-server did not start: ${this.#proc.output.join('\n')}`);
  }
  async stop(): Promise<void> {
    await this.#proc?.stop();
  }
}

/** The configuration the harness gives HAProxy (also shown in the README as an example). */
export function haproxyConfig(port: number, servers: { name: string; port: number }[]): string {
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A connection refused by an instance that is stopping is tried on another one.
  retries 3
  option redispatch
  # A GET whose instance died mid-answer is sent again to another (see the backend: not a post).
  retry-on conn-failure empty-response response-timeout
  # One request per connection to the instances: a stopping instance closes its listener and the
  # next request goes elsewhere, never onto a kept-alive connection it is closing.
  option http-server-close
  # Appends the applicant's address to X-Forwarded-For (list this proxy in TRUST_PROXY).
  option forwardfor

frontend portal
  bind 127.0.0.1:${port}
  default_backend portals

backend portals
  balance roundrobin
  # A form post is not sent twice by the proxy: the applicant presses again (Registration is safe to repeat).
  http-request disable-l7-retry if METH_POST
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fall 1 rise 2
  # Which instance answered (the harness checks that consecutive requests change instance).
  http-response set-header X-Served-By %s
  # When every instance fails /readyz (the database is down) requests still go to them, unchecked,
  # so applicants get the portal's own "try again" page (their entries kept), not HAProxy's 503.
  option allbackups
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join('\n')}
${servers.map((s) => `  server ${s.name}-backup 127.0.0.1:${s.port} backup`).join('\n')}
`;
}

export class Haproxy {
  #proc: Proc | undefined;
  constructor(
    readonly tmp: string,
    readonly port: number,
    readonly servers: { name: string; port: number }[],
  ) {}
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const file = path.join(this.tmp, 'haproxy.cfg');
    writeFileSync(file, haproxyConfig(this.port, this.servers));
    this.#proc = new Proc('haproxy', 'haproxy', ['-db', '-f', file]);
    for (let i = 0; i < 100; i++) {
      if (!this.#proc.running) throw new Error(`haproxy exited: ${this.#proc.output.join('\n')}`);
      try {
        const r = await fetch(`${this.origin}/healthz`);
        await r.arrayBuffer();
        if (r.ok) return;
      } catch {}
      await sleep(100);
    }
    throw new Error('haproxy did not answer');
  }
  async stop(): Promise<void> {
    await this.#proc?.stop();
  }
}

/** A portal instance (portal/main.ts) the harness can kill and start again on the same port. */
export class Instance {
  child: Child | undefined;
  constructor(
    readonly name: string,
    readonly port: number,
    readonly env: Record<string, string>,
    readonly script = 'portal/main.ts',
  ) {}
  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get pid(): number | undefined {
    return this.child?.running ? this.child.pid : undefined;
  }
  /** `readyTimeoutMs`: a fresh PGlite directory (initdb and migrations in WebAssembly) took 77 s to
   * become ready under a load average of 13 on 2 cores, so its instance is given longer. */
  async start(waitReady = true, readyTimeoutMs = 120_000): Promise<void> {
    this.child = new Child(this.name, this.script, {
      ...this.env,
      ...(this.script === 'portal/main.ts' ? { PORT: String(this.port) } : {}),
    });
    track(this.child.pid);
    if (waitReady && this.script === 'portal/main.ts')
      await this.child.ready(`${this.base}/readyz`, readyTimeoutMs);
  }
  kill9(): void {
    if (this.child?.running) this.child.proc.kill('SIGKILL');
  }
  /** SIGTERM and wait for the exit (the graceful shutdown). */
  async terminate(): Promise<number> {
    const c = this.child;
    if (!c?.running) return 0;
    const t0 = Date.now();
    await c.stop(60_000);
    return Date.now() - t0;
  }
  logs(): string[] {
    return this.child?.output ?? [];
  }
}

export { log };
