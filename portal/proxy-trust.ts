// TRUST_PROXY's reader: who may tell the client's address (config/env.ts has the general readers).
import { isIP } from 'node:net';
import { ConfigError, type Env, read } from '../config/env.ts';

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
