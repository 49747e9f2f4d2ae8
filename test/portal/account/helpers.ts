// Test helpers of the account area: a registered user written straight into the database
// (independent of the registration flow), mail servers on free ports, a quiet logger.
import { randomInt } from 'node:crypto';
import { pino } from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { newUserId } from '../../../portal/domain/user-id.ts';
import { openSecret } from '../../../portal/mail/secret.ts';
import { loadPortalConfig, type PortalConfig } from '../../../portal/portal-config.ts';
import type { Db } from '../../../portal/store/schema.ts';

export const quietLogger = () => pino({ level: 'silent' });

export interface TestUser {
  id: string;
  userName: string;
  email: string;
  lang: 'ja' | 'en' | 'ja-easy';
}

export async function createTestUser(
  db: Db,
  overrides: Partial<{
    id: string;
    userName: string;
    email: string;
    lang: 'ja' | 'en' | 'ja-easy';
    residenceCardNumber: string | null;
    passwordHash: string | null;
    passwordSetAt: Date | null;
    passwordExpiresAt: Date | null;
  }> = {},
): Promise<TestUser> {
  const id = overrides.id ?? newUserId();
  const user = {
    id,
    userName: overrides.userName ?? 'HOUMU TARO',
    email: overrides.email ?? `user${randomInt(1e9)}@example.com`,
    lang: overrides.lang ?? 'ja',
  };
  await db
    .insertInto('users')
    .values({
      id,
      user_name: user.userName,
      sex: 'male',
      date_of_birth: '1990-04-01',
      prefecture_code: '13',
      municipality_code: '131016',
      street_address: '1-1-1 Kasumigaseki',
      telephone: '0312345678',
      email: user.email,
      user_category: 'foreign_national',
      residence_card_number:
        overrides.residenceCardNumber === undefined ? 'AB12345678CD' : overrides.residenceCardNumber,
      proxy_notification_number: null,
      lang: user.lang,
      password_hash: overrides.passwordHash ?? null,
      password_set_at: overrides.passwordSetAt ?? null,
      password_expires_at: overrides.passwordExpiresAt ?? null,
    })
    .execute();
  return user;
}

/** The link token of the newest queued message to this address (as the outbox worker would decrypt it). */
export async function queuedLinkToken(
  db: Db,
  to: string,
  mailSecretKey: PortalConfig['mail']['secretKeys'],
): Promise<string> {
  const row = await db
    .selectFrom('outbox')
    .select(['secret_ciphertext'])
    .where('to_address', '=', to)
    .where('secret_ciphertext', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return openSecret(row.secret_ciphertext!, mailSecretKey);
}

export function testConfig(env: Record<string, string> = {}): PortalConfig {
  return loadPortalConfig({ LOG_LEVEL: 'silent', PUBLIC_ORIGIN: 'http://localhost:3000', ...env });
}

/** An SMTP server on a free port with custom handlers (refusing, slow …). */
export async function startSmtp(
  handlers: Pick<SMTPServerOptions, 'onData' | 'onRcptTo'>,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...handlers,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
