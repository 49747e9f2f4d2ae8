// EXPLAIN (ANALYZE, BUFFERS) of the hot statements of the registration flow, on the bench
// database after the run (so the tables hold the run's rows). Writes run inside a transaction
// that is rolled back.
import pg from 'pg';

export interface Explained {
  name: string;
  plan: string[];
  executionMs: number;
}

const STATEMENTS: { name: string; sql: string; params: (c: pg.Client) => Promise<unknown[]> }[] = [
  {
    name: 'session lookup (every request)',
    sql: 'SELECT id, csrf_token, user_id, data, last_seen_at, expires_at FROM sessions WHERE id = $1',
    params: async (c) => [
      (await c.query('SELECT id FROM sessions ORDER BY random() LIMIT 1')).rows[0]?.id ?? 'x',
    ],
  },
  {
    name: 'session update',
    sql: `UPDATE sessions SET data = data, last_seen_at = now(), expires_at = now() + interval '30 minutes' WHERE id = $1`,
    params: async (c) => [
      (await c.query('SELECT id FROM sessions ORDER BY random() LIMIT 1')).rows[0]?.id ?? 'x',
    ],
  },
  {
    name: 'card session by nonce (callback)',
    sql: 'UPDATE card_sessions SET used_at = now() WHERE nonce_hash = $1 AND used_at IS NULL RETURNING id',
    params: async (c) => [
      (await c.query('SELECT nonce_hash FROM card_sessions LIMIT 1')).rows[0]?.nonce_hash ?? 'x',
    ],
  },
  {
    name: 'card already registered?',
    sql: `SELECT user_id, card_identity FROM user_cards
           WHERE card_identity = $1 OR (card_identity IS NULL AND auth_cert_fingerprint = $2)`,
    params: async () => ['0'.repeat(64), '1'.repeat(64)],
  },
  {
    name: 'outbox claim (worker, every poll)',
    sql: `UPDATE outbox o SET state = 'sending', locked_by = 'explain', locked_until = now() + interval '5 minutes', attempts = o.attempts + 1
            FROM (SELECT id FROM outbox WHERE (state = 'queued' AND next_attempt_at <= now()) OR (state = 'sending' AND locked_until < now())
                  ORDER BY next_attempt_at, id LIMIT 10 FOR UPDATE SKIP LOCKED) due
           WHERE o.id = due.id RETURNING o.id`,
    params: async () => [],
  },
  {
    name: 'sign-in: user by id',
    sql: 'SELECT id, password_hash, password_expires_at FROM users WHERE id = $1',
    params: async (c) => [(await c.query('SELECT id FROM users LIMIT 1')).rows[0]?.id ?? 'x'],
  },
];

export async function explainHotStatements(url: string): Promise<Explained[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const out: Explained[] = [];
  try {
    await c.query('ANALYZE');
    for (const s of STATEMENTS) {
      const params = await s.params(c);
      await c.query('BEGIN');
      try {
        const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, params);
        const plan = r.rows.map((x) => x['QUERY PLAN']);
        const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1] ?? Number.NaN);
        out.push({ name: s.name, plan, executionMs: ms });
      } finally {
        await c.query('ROLLBACK');
      }
    }
  } finally {
    await c.end();
  }
  return out;
}
