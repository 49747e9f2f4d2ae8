import path from 'node:path';
import { ConfigError, int, oneOf, origin, secret, text, url } from './config.ts';

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
  /** Encrypts anonymous sessions carried in the cookie; the same on every instance. */
  sessionSecret: string;
  databaseUrl: string | undefined;
  /** Optional: rate-limit counters shared by every instance (otherwise each counts alone). */
  redisUrl: string | undefined;
  /** Connections each portal instance keeps to PostgreSQL. */
  databasePoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Minutes of inactivity after which a signed-in session ends. */
  sessionIdleMinutes: number;
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
  };
  mail: {
    smtpUrl: string | undefined;
    from: string;
    secretKey: string;
  };
  passwordLinkHours: number;
  passwordValidityDays: number;
}

const DEV_SECRET = 'development-only-secret-not-for-production-use-0000';

function list(env: Record<string, string | undefined>, name: string, fallback: string[]): string[] {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadPortalConfig(env: Record<string, string | undefined> = process.env): PortalConfig {
  const production = env.NODE_ENV === 'production';
  const port = int(env, 'PORT', 3000, 1, 65535);
  const dataDir = path.resolve(text(env, 'DATA_DIR', 'data'));
  const pki = path.join(dataDir, 'pki');
  const trust = {
    signRoots: list(env, 'TRUST_SIGN_ROOTS', [path.join(pki, 'sign-root.pem')]),
    authRoots: list(env, 'TRUST_AUTH_ROOTS', [path.join(pki, 'auth-root.pem')]),
    signCrls: list(env, 'TRUST_SIGN_CRLS', [path.join(pki, 'sign.crl')]),
    authCrls: list(env, 'TRUST_AUTH_CRLS', [path.join(pki, 'auth.crl')]),
    crlFailure: oneOf(env, 'CRL_FAILURE_POLICY', ['refuse', 'allow'] as const, 'refuse'),
    clockSkewSeconds: int(env, 'CLOCK_SKEW_SECONDS', 60, 0, 3600),
  };
  const from = text(env, 'MAIL_FROM', 'Residence Online <no-reply@residence.localhost>');
  if (!/@/.test(from)) throw new ConfigError('MAIL_FROM', 'an email address, optionally with a name', from);
  return {
    production,
    port,
    host: text(env, 'HOST', production ? '0.0.0.0' : '127.0.0.1'),
    publicOrigin: origin(env, 'PUBLIC_ORIGIN', `http://localhost:${port}`),
    clientOrigin: origin(env, 'CLIENT_ORIGIN', `http://127.0.0.1:${int(env, 'CLIENT_PORT', 3001, 1, 65535)}`),
    dataDir,
    clientDownloadDir: path.resolve(text(env, 'CLIENT_DOWNLOAD_DIR', 'dist/client')),
    sessionSecret: secret(env, 'SESSION_SECRET', DEV_SECRET, production),
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
    draftIdleMinutes: int(env, 'DRAFT_IDLE_MINUTES', 30, 1, 24 * 60),
    cardSessionMinutes: int(env, 'CARD_SESSION_MINUTES', 5, 1, 60),
    trust,
    mail: {
      // Development default: the mail catcher that `npm start` runs.
      smtpUrl:
        url(env, 'SMTP_URL', ['smtp:', 'smtps:']) ?? (production ? undefined : 'smtp://127.0.0.1:2525'),
      from,
      secretKey: secret(env, 'MAIL_SECRET_KEY', DEV_SECRET, production),
    },
    passwordLinkHours: int(env, 'PASSWORD_LINK_HOURS', 24, 1, 24 * 14),
    passwordValidityDays: int(env, 'PASSWORD_VALIDITY_DAYS', 365, 30, 3650),
  };
}
