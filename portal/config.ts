// Configuration from environment variables, validated once at start.
// Each bad value stops the program with one line naming the variable and what it expects.

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${variable}: expected ${expected}, got ${JSON.stringify(got)}`);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
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

export function text(env: Env, name: string, fallback: string): string {
  return read(env, name) ?? fallback;
}

/** Never echo a password that is part of a connection URL. */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
