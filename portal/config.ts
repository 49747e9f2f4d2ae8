// Configuration from environment variables, validated once at start.
// Each bad value stops the program with one line naming the variable and what it expects.
import { isIP } from 'node:net';

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

/** Who may tell the client's address in X-Forwarded-For (docs/decisions/0603-client-address.md). */
export type ProxyTrust =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'proxies'; ranges: string[] };

const PROXY_TRUST =
  "none (clients connect to the portal directly), the number of proxies in front of it (1 to 10), or the proxies' addresses or CIDR ranges, comma-separated (such as 10.0.1.0/24,2001:db8::/64; not /0)";

export function proxyTrust(env: Env, name: string, production: boolean): ProxyTrust {
  const raw = read(env, name);
  if (raw === undefined) {
    if (production) {
      throw new ConfigError(
        name,
        `${PROXY_TRUST}; required when NODE_ENV=production, since behind a load balancer "none" puts every applicant behind its one address (one lock for all) and trusting any sender lets clients choose their address`,
        '',
      );
    }
    return { kind: 'none' };
  }
  if (raw.toLowerCase() === 'none') return { kind: 'none' };
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > 10) throw new ConfigError(name, PROXY_TRUST, raw);
    return { kind: 'hops', hops };
  }
  const ranges = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ranges.find((r) => !isAddressRange(r));
  if (bad !== undefined || ranges.length === 0) throw new ConfigError(name, PROXY_TRUST, bad ?? raw);
  return { kind: 'proxies', ranges };
}

/** An IP address, or a CIDR range narrower than /0 (which would trust every sender). */
function isAddressRange(s: string): boolean {
  const [address = '', prefix, ...more] = s.split('/');
  const version = isIP(address);
  if (!version || more.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Never echo a password that is part of a connection URL. */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
