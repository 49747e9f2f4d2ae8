// The last line of defence for text that reaches the database: PostgreSQL's text and jsonb
// cannot hold NUL, and jsonb refuses a lone surrogate (which a JSON body can carry as "\ud800"),
// so either one, anywhere in a form or a query, used to end in a 500. Before any handler runs,
// both are replaced by U+FFFD in every string of the body and the query — what a browser itself
// does with a lone surrogate. The form readers and the domain rules (domain/normalize.ts) then
// refuse the marked field with its own message and keep the other entries; a field that reads
// text without a rule at least stores nothing the database cannot hold.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** NUL, or a surrogate that is not half of a pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Nested JSON bodies are walked this deep; deeper values are left as they are (no rule reads them). */
const MAX_DEPTH = 8;

/** Cleans strings in place (objects and arrays); returns the value and counts what it replaced. */
function clean(value: unknown, depth: number, seen: { replaced: number }): unknown {
  if (typeof value === 'string') {
    const out = value.replace(UNSTORABLE, '\ufffd');
    if (out !== value) seen.replaced++;
    return out;
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = clean(value[i], depth + 1, seen);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const cleanKey = key.replace(UNSTORABLE, '\ufffd');
    const v = clean(record[key], depth + 1, seen);
    if (cleanKey !== key) {
      seen.replaced++;
      delete record[key];
    }
    record[cleanKey] = v;
  }
  return record;
}

export const formTextPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    const seen = { replaced: 0 };
    if (request.query && typeof request.query === 'object') clean(request.query, 0, seen);
    if (typeof request.body === 'string') request.body = clean(request.body, 0, seen);
    else if (request.body && typeof request.body === 'object') clean(request.body, 0, seen);
    // A count only: the text itself may be a password.
    if (seen.replaced > 0)
      request.log.info({ replaced: seen.replaced }, 'form input: NUL or lone surrogate replaced');
  });
});
