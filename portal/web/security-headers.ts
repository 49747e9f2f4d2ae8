// The security headers of every response (CSP, HSTS, Referrer-Policy…), computed once at start.
// @fastify/helmet builds a new helmet middleware — options checked, CSP string joined — for
// each request; nothing in them depends on the request (no CSP nonces: scripts come from
// /assets only), so the portal asks helmet once and sets the resulting headers as they are.
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: { clientOrigin: string; secure: boolean }): Record<string, string> {
  const config: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The card step's form is answered by a redirect to the user client software.
        formAction: ["'self'", options.clientOrigin],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // same-origin keeps the Origin header on our own form posts (no-referrer would make it "null").
    referrerPolicy: { policy: 'same-origin' },
    hsts: options.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  };
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(config)({} as never, res as never, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}
