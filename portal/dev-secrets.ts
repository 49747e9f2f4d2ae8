// Development secrets: generated on first start under DATA_DIR, as the development PKI is, and
// read again on later starts, so sessions survive a restart and every local process sharing the
// DATA_DIR (portal, worker, outbox CLI) agrees. Never a value from the repository: anyone who
// knows the key that seals anonymous sessions can write a session saying the card step succeeded.
// See docs/decisions/0604-secrets-and-session-lifetime.md.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, secretList } from '../config/env.ts';

export interface DevSecrets {
  sessionSecret: string;
  mailSecretKey: string;
}

export const devSecretsPath = (dataDir: string) => path.join(dataDir, 'dev-secrets.json');

function parse(file: string): DevSecrets {
  // Group or world access means someone else on the machine may hold the key: refuse, as ssh does.
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new ConfigError(
      'DATA_DIR',
      `${file} readable by its owner only (chmod 600; it is mode ${mode.toString(8)})`,
      path.dirname(file),
    );
  }
  let v: Partial<DevSecrets> = {};
  try {
    v = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
  } catch {
    // reported below as a file without the two secrets
  }
  if (
    typeof v.sessionSecret !== 'string' ||
    v.sessionSecret.length < 32 ||
    typeof v.mailSecretKey !== 'string' ||
    v.mailSecretKey.length < 32
  ) {
    throw new ConfigError(
      'DATA_DIR',
      `${file} with sessionSecret and mailSecretKey (delete it to regenerate)`,
      '',
    );
  }
  return { sessionSecret: v.sessionSecret, mailSecretKey: v.mailSecretKey };
}

/**
 * The development secrets of this DATA_DIR, created (mode 0600) if missing. Several processes
 * starting at once agree: the file appears whole or not at all (written aside, then hard-linked
 * into place, which fails if another process got there first), and the loser reads the winner's.
 */
export function ensureDevSecrets(dataDir: string): DevSecrets {
  const file = devSecretsPath(dataDir);
  try {
    return parse(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fresh: DevSecrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    mailSecretKey: randomBytes(32).toString('base64url'),
  };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  return parse(file);
}

/**
 * Never a constant from the repository: random for this process when no DATA_DIR secrets are
 * asked for (tests), shared by every configuration loaded in it so two test portals agree.
 */
const PROCESS_SECRETS: DevSecrets = {
  sessionSecret: randomBytes(32).toString('base64url'),
  mailSecretKey: randomBytes(32).toString('base64url'),
};

/** An origin on this computer only: localhost names and loopback addresses. */
export function isLoopbackOrigin(origin: string): boolean {
  const host = new URL(origin).hostname;
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]'
  );
}

/**
 * SESSION_SECRET and MAIL_SECRET_KEY: from the environment, else (development, reachable from
 * this computer only) generated ones. Production, or a PUBLIC_ORIGIN others can reach, must set
 * real ones: one line names the first missing variable. Each may list older keys after the
 * current one (comma-separated) so values sealed under them still open.
 */
export function resolveSecrets(
  env: Record<string, string | undefined>,
  o: {
    production: boolean;
    publicOrigin: string;
    dataDir: string;
    devSecrets: ((dataDir: string) => DevSecrets) | undefined;
  },
): { sessionSecrets: string[]; mailSecretKeys: string[] } {
  const names = ['SESSION_SECRET', 'MAIL_SECRET_KEY'] as const;
  const missing = names.filter((n) => (env[n] ?? '').trim() === '');
  if (!o.production && !isLoopbackOrigin(o.publicOrigin) && missing.length > 0) {
    throw new ConfigError(
      missing[0]!,
      `at least 32 random characters (required when PUBLIC_ORIGIN ${o.publicOrigin} is not on this computer)`,
      '',
    );
  }
  const generated =
    o.production || missing.length === 0 ? undefined : (o.devSecrets?.(o.dataDir) ?? PROCESS_SECRETS);
  return {
    sessionSecrets: secretList(env, 'SESSION_SECRET', generated?.sessionSecret, o.production),
    mailSecretKeys: secretList(env, 'MAIL_SECRET_KEY', generated?.mailSecretKey, o.production),
  };
}
