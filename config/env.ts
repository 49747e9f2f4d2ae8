// Reading configuration from environment variables, for every program (portal, worker, CLIs,
// user client software): each reader validates one variable, and a bad value stops the program
// with one line naming the variable and what it expects. A leaf: imports nothing of the
// repository, so client/ and portal/ share it without importing each other (scripts/check-layers.ts).

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${variable}: expected ${expected}, got ${JSON.stringify(got)}`);
  }
}

export type Env = Record<string, string | undefined>;

/** The trimmed value, or undefined when unset or blank. */
export function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

export function origin(env: Env, name: string, fallback: string): string {
  const raw = read(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      'an origin such as https://example.go.jp (scheme, host and optional port)',
      raw,
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== raw.replace(/\/$/, '')) {
    throw new ConfigError(name, 'an origin such as https://example.go.jp (no path, query or fragment)', raw);
  }
  return url.origin;
}

export function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `one of ${values.join(', ')}`, raw);
  }
  return raw as T;
}

export function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, redact(raw));
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, redact(raw));
  }
  return raw;
}

export function secret(env: Env, name: string, fallback: string | undefined, production: boolean): string {
  const raw = read(env, name);
  if (raw === undefined) {
    if (production || fallback === undefined) {
      throw new ConfigError(name, 'at least 32 random characters (required when NODE_ENV=production)', '');
    }
    return fallback;
  }
  if (raw.length < 32) throw new ConfigError(name, 'at least 32 random characters', '(hidden)');
  return raw;
}

/**
 * A list of secrets, comma-separated: the current one first, then older ones that still open
 * what they sealed (key rotation). Each at least 32 characters, no repeats, at most 5.
 */
export function secretList(
  env: Env,
  name: string,
  fallback: string | undefined,
  production: boolean,
): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [secret(env, name, fallback, production)];
  const parts = raw.split(',').map((s) => s.trim());
  const what =
    'at least 32 random characters, or a comma-separated list of such keys (current first, then older ones; at most 5)';
  if (parts.length > 5 || parts.some((p) => p.length < 32) || new Set(parts).size !== parts.length) {
    throw new ConfigError(name, what, '(hidden)');
  }
  return parts;
}

export function text(env: Env, name: string, fallback: string): string {
  return read(env, name) ?? fallback;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

/** Never echo a password that is part of a connection URL. */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
