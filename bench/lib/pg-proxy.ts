// A counting TCP proxy between the portal and PostgreSQL (`--count-statements`): it reads the
// frontend protocol's message headers and tallies every statement the portal runs (simple
// Query 'Q', or Bind 'B' of a statement parsed before, named or not), by its SQL text with
// literals folded, so the report can say how many statements each registration costs and
// which ones. Adds a hop: not for timed runs.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Folds numbers and quoted literals so one statement shape counts once. */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\b\d+\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits the frontend stream (after the startup message) into [type, body] messages. */
export class FrontendParser {
  #buf: Buffer = Buffer.alloc(0);
  #startup = true;

  constructor(readonly onMessage: (type: string, body: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      if (this.#startup) {
        // Startup / SSLRequest: int32 length, no type byte.
        if (this.#buf.length < 4) return;
        const len = this.#buf.readInt32BE(0);
        if (this.#buf.length < len) return;
        const code = this.#buf.readInt32BE(4);
        this.#buf = this.#buf.subarray(len);
        // 80877103 = SSLRequest (answered 'N' by a non-SSL server, then a real startup follows).
        if (code !== 80877103) this.#startup = false;
        continue;
      }
      if (this.#buf.length < 5) return;
      const len = this.#buf.readInt32BE(1);
      if (this.#buf.length < 1 + len) return;
      this.onMessage(String.fromCharCode(this.#buf[0]!), this.#buf.subarray(5, 1 + len));
      this.#buf = this.#buf.subarray(1 + len);
    }
  }
}

export class StatementCounter {
  readonly counts = new Map<string, number>();
  total = 0;
  #server: Server | undefined;
  #sockets = new Set<Socket>();

  /**
   * One frontend message of one connection. A simple Query counts itself; in the extended
   * protocol a statement counts at each Bind (each execution), so a named prepared statement —
   * parsed once per connection, executed many times — counts every time it runs.
   */
  record(type: string, body: Buffer, prepared: Map<string, string> = new Map()): void {
    const cstr = (from: number) => {
      const end = body.indexOf(0, from);
      return { text: body.subarray(from, end).toString('utf8'), next: end + 1 };
    };
    let sql: string | undefined;
    if (type === 'Q') sql = cstr(0).text;
    else if (type === 'P') {
      const name = cstr(0);
      prepared.set(name.text, cstr(name.next).text);
      return;
    } else if (type === 'B') {
      const portal = cstr(0);
      sql = prepared.get(cstr(portal.next).text);
    }
    if (sql === undefined) return;
    const key = normalizeSql(sql);
    this.total++;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Listens on a free port and forwards to `target` (host:port); returns the port. */
  listen(targetHost: string, targetPort: number): Promise<number> {
    this.#server = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      this.#sockets.add(client).add(upstream);
      const prepared = new Map<string, string>();
      const parser = new FrontendParser((t, b) => this.record(t, b, prepared));
      client.on('data', (d: Buffer) => {
        parser.push(d);
        upstream.write(d);
      });
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    return new Promise((resolve) => {
      this.#server!.listen(0, '127.0.0.1', () => {
        const a = this.#server!.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
  }

  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** Statements between two snapshots, most frequent first, per `per` iterations. */
export function statementsBetween(
  a: Map<string, number>,
  b: Map<string, number>,
  per: number,
): { sql: string; perIteration: number }[] {
  return [...b]
    .map(([sql, n]) => ({ sql, perIteration: (n - (a.get(sql) ?? 0)) / Math.max(1, per) }))
    .filter((x) => x.perIteration > 0)
    .sort((x, y) => y.perIteration - x.perIteration);
}
