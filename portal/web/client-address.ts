// Which address a request comes from, as every per-address limit and the audit log see it
// (docs/decisions/0603-client-address.md). X-Forwarded-For is read only as far as TRUST_PROXY
// allows; whatever a client writes there itself is never its address.
import { isIP } from 'node:net';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { ProxyTrust } from '../proxy-trust.ts';

/** Fastify's trustProxy for a TRUST_PROXY setting. */
export function trustProxyOption(trust: ProxyTrust): NonNullable<FastifyServerOptions['trustProxy']> {
  switch (trust.kind) {
    case 'none':
      return false;
    case 'proxies':
      // IPs and CIDRs, compiled by @fastify/proxy-addr (IPv4 ranges also match IPv4-mapped peers).
      return trust.ranges;
    case 'hops': {
      // Fastify 5.12 ignores a numeric trustProxy (it trusts nothing, as a hop count cannot tell
      // a proxy from a direct client), so the count is a function: the peer and the next
      // hops - 1 entries from the right of X-Forwarded-For are proxies.
      const hops = trust.hops;
      return (_address: string, hop: number) => hop < hops;
    }
  }
}

/**
 * The key a request's address is counted under: an IPv4 address as it is, an IPv4-mapped IPv6
 * address as its IPv4 address, any other IPv6 address as its /64 (one subscriber line or LAN
 * usually holds a whole /64, so a client could otherwise take a new address for every attempt).
 * Undefined for anything that is not an IP address.
 */
export function addressKey(address: string): string | undefined {
  // A zone (fe80::1%eth0) names the local interface, not the peer.
  const plain = address.replace(/%[^%]*$/, '');
  const version = isIP(plain);
  if (version === 4) return plain;
  if (version !== 6) return undefined;
  const h = hextets(plain);
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
    return [h[6]! >> 8, h[6]! & 255, h[7]! >> 8, h[7]! & 255].join('.');
  }
  return `${h
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (checked by isIP before). */
function hextets(address: string): number[] {
  // A dotted IPv4 tail (::ffff:192.0.2.1) is two groups.
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((x) => x.toString(16)).join(':'),
  );
  const [head = '', tail] = hex.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((x) => Number.parseInt(x, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The request's address key: the client address Fastify derived under TRUST_PROXY, or, if a
 * trusted proxy forwarded something that is not an address, the peer's own address (one key
 * for all such requests rather than one the client chose).
 */
export function clientAddress(request: FastifyRequest): string {
  return addressKey(request.ip) ?? addressKey(request.socket?.remoteAddress ?? '') ?? 'unknown';
}
