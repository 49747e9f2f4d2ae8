import path from 'node:path';
import { ConfigError, int, oneOf, origin, text, url } from '../config/env.ts';
import { type DevSecrets, ensureDevSecrets, isLoopbackOrigin, resolveSecrets } from './dev-secrets.ts';
import { anchorKeysBeside } from './identity/anchor-keys.ts';
import { type ProxyTrust, proxyTrust } from './proxy-trust.ts';

export interface PortalConfig {
  production: boolean;
  port: number;
  host: string;
  publicOrigin: string;
  /** Where the user client software listens; the card step redirects the browser there. */
  clientOrigin: string;
  dataDir: string;
  /** Where `npm run build:client` put the user client software the Startup Guide offers. */
  clientDownloadDir: string;
  /**
   * Seal anonymous sessions carried in the cookie; the same on every instance. SESSION_SECRET,
   * comma-separated: the current key first (seals), then older ones (still open).
   */
  sessionSecrets: readonly string[];
  databaseUrl: string | undefined;
  /** Optional: rate-limit counters shared by every instance (otherwise each counts alone). */
  redisUrl: string | undefined;
  /** Connections each portal instance keeps to PostgreSQL. */
  databasePoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Minutes of inactivity after which a signed-in session ends. */
  sessionIdleMinutes: number;
  /** Hours after which a session ends however active it is (signed in: hours since sign-in). */
  sessionAbsoluteHours: number;
  /** Minutes of inactivity after which a registration draft expires. */
  draftIdleMinutes: number;
  cardSessionMinutes: number;
  trust: {
    signRoots: string[];
    authRoots: string[];
    signCrls: string[];
    authCrls: string[];
    /** What to do when a CRL cannot be loaded or is out of date: refuse (fail closed) or allow. */
    crlFailure: 'refuse' | 'allow';
    clockSkewSeconds: number;
    /** Production only: whether anchors may have their private keys beside them (a demo system). */
    allowDemoAnchors: boolean;
  };
  mail: {
    smtpUrl: string | undefined;
    from: string;
    /** MAIL_SECRET_KEY, comma-separated: the current key first (seals), then older ones (still open). */
    secretKeys: readonly string[];
  };
  passwordLinkHours: number;
  passwordValidityDays: number;
  /** Which peers may tell the client's address in X-Forwarded-For (TRUST_PROXY). */
  trustProxy: ProxyTrust;
  /** Prometheus /metrics on its own listener (METRICS_PORT; off when undefined), loopback by default. */
  metrics: { port: number | undefined; host: string };
  outbox: {
    /** A claimed message not finished within this time is taken over by another worker. */
    leaseSeconds: number;
    /** First retry delay; it doubles with each failed attempt (at most an hour). */
    retrySeconds: number;
  };
  /** After SIGTERM, /readyz answers 503 for this long (the load balancer stops sending) before the listener closes. */
  shutdownDrainSeconds: number;
}

export interface LoadOptions {
  /** Development secrets kept under DATA_DIR (see loadStartConfig); without it, one set per process. */
  devSecrets?: (dataDir: string) => DevSecrets;
}

/** What the programs load at start: development secrets are read from (or created in) DATA_DIR. */
export function loadStartConfig(env: Record<string, string | undefined> = process.env): PortalConfig {
  return loadPortalConfig(env, { devSecrets: ensureDevSecrets });
}

function list(env: Record<string, string | undefined>, name: string, fallback: string[]): string[] {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadPortalConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadOptions = {},
): PortalConfig {
  const production = env.NODE_ENV === 'production';
  const port = int(env, 'PORT', 3000, 1, 65535);
  const dataDir = path.resolve(text(env, 'DATA_DIR', 'data'));
  const publicOrigin = origin(env, 'PUBLIC_ORIGIN', `http://localhost:${port}`);
  // ASVS 9.1.1: applicants reach a production portal over TLS only (plain http: on this computer).
  if (production && publicOrigin.startsWith('http:') && !isLoopbackOrigin(publicOrigin)) {
    throw new ConfigError(
      'PUBLIC_ORIGIN',
      'an https: origin when NODE_ENV=production (http: only for localhost or a loopback address)',
      publicOrigin,
    );
  }
  const keys = resolveSecrets(env, { production, publicOrigin, dataDir, devSecrets: options.devSecrets });
  const pki = path.join(dataDir, 'pki');
  const trust = {
    signRoots: list(env, 'TRUST_SIGN_ROOTS', [path.join(pki, 'sign-root.pem')]),
    authRoots: list(env, 'TRUST_AUTH_ROOTS', [path.join(pki, 'auth-root.pem')]),
    signCrls: list(env, 'TRUST_SIGN_CRLS', [path.join(pki, 'sign.crl')]),
    authCrls: list(env, 'TRUST_AUTH_CRLS', [path.join(pki, 'auth.crl')]),
    crlFailure: oneOf(env, 'CRL_FAILURE_POLICY', ['refuse', 'allow'] as const, 'refuse'),
    clockSkewSeconds: int(env, 'CLOCK_SKEW_SECONDS', 60, 0, 3600),
    allowDemoAnchors: oneOf(env, 'ALLOW_DEMO_TRUST_ANCHORS', ['true', 'false'] as const, 'false') === 'true',
  };
  const from = text(env, 'MAIL_FROM', 'Residence Online <no-reply@residence.localhost>');
  if (!/@/.test(from)) throw new ConfigError('MAIL_FROM', 'an email address, optionally with a name', from);
  const config: PortalConfig = {
    production,
    port,
    host: text(env, 'HOST', production ? '0.0.0.0' : '127.0.0.1'),
    publicOrigin,
    clientOrigin: origin(env, 'CLIENT_ORIGIN', `http://127.0.0.1:${int(env, 'CLIENT_PORT', 3001, 1, 65535)}`),
    dataDir,
    clientDownloadDir: path.resolve(text(env, 'CLIENT_DOWNLOAD_DIR', 'dist/client')),
    sessionSecrets: keys.sessionSecrets,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7),
    draftIdleMinutes: int(env, 'DRAFT_IDLE_MINUTES', 30, 1, 24 * 60),
    cardSessionMinutes: int(env, 'CARD_SESSION_MINUTES', 5, 1, 60),
    trust,
    mail: {
      // Development default: the mail catcher that `npm start` runs.
      smtpUrl:
        url(env, 'SMTP_URL', ['smtp:', 'smtps:']) ?? (production ? undefined : 'smtp://127.0.0.1:2525'),
      from,
      secretKeys: keys.mailSecretKeys,
    },
    passwordLinkHours: int(env, 'PASSWORD_LINK_HOURS', 24, 1, 24 * 14),
    passwordValidityDays: int(env, 'PASSWORD_VALIDITY_DAYS', 365, 30, 3650),
    trustProxy: proxyTrust(env, 'TRUST_PROXY', production),
    metrics: {
      port: env.METRICS_PORT?.trim() ? int(env, 'METRICS_PORT', 0, 1, 65535) : undefined,
      host: text(env, 'METRICS_HOST', '127.0.0.1'),
    },
    outbox: {
      leaseSeconds: int(env, 'OUTBOX_LEASE_SECONDS', 300, 5, 3600),
      retrySeconds: int(env, 'OUTBOX_RETRY_SECONDS', 30, 1, 3600),
    },
    shutdownDrainSeconds: int(env, 'SHUTDOWN_DRAIN_SECONDS', 0, 0, 120),
  };
  // Last, so a missing secret is reported first. With the signing key readable beside an anchor
  // (the development PKI), anyone could issue a card this portal accepts.
  if (production && !trust.allowDemoAnchors) {
    for (const [name, files] of [
      ['TRUST_SIGN_ROOTS', trust.signRoots],
      ['TRUST_AUTH_ROOTS', trust.authRoots],
    ] as const) {
      const [found] = anchorKeysBeside(files);
      if (found)
        throw new ConfigError(
          name,
          `trust anchors without their private key beside them (${found.key} holds it; ALLOW_DEMO_TRUST_ANCHORS=true only for a demonstration)`,
          found.anchor,
        );
    }
  }
  return config;
}
