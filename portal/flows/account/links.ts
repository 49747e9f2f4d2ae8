// Single-use links sent by email (setting a password, confirming a new address).
// The token is 32 random bytes; the database keeps only its SHA-256. Until the message is sent,
// the token also sits in the outbox row, encrypted with MAIL_SECRET_KEY.
import { createHash, randomBytes } from 'node:crypto';
import { sealSecret } from '../../mail/secret.ts';
import type { MailTemplate, TemplatePayloads } from '../../mail/templates.tsx';
import {
  type AccountLink,
  deleteUnusedLinks,
  findLinkByHash,
  insertLink,
  type LinkPurpose,
} from '../../store/account-links.ts';
import type { AccountUser } from '../../store/accounts.ts';
import type { NewOutboxMessage } from '../../store/outbox.ts';
import type { Queryable, Tx } from '../../store/schema.ts';
import type { AccountDeps } from './deps.ts';

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A plausible token: 43 base64url characters. Anything else is not looked up at all. */
export function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

type LinkUser = Pick<AccountUser, 'id' | 'email' | 'userName' | 'lang'>;

interface LinkMessage {
  template: MailTemplate;
  to: string;
  payload: (expiresAt: string) => Record<string, unknown>;
}

/**
 * A new link and the email that carries it, not yet stored: a fresh token (only its hash is
 * stored; the token itself travels sealed in the outbox row until sent) and its expiry.
 */
function newLink(
  deps: Pick<AccountDeps, 'config' | 'now'>,
  user: LinkUser,
  purpose: LinkPurpose,
  message: LinkMessage,
  newEmail?: string,
) {
  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.config.passwordLinkHours * 3_600_000);
  return {
    link: {
      userId: user.id,
      purpose,
      tokenHash: hashLinkToken(token),
      createdAt: now,
      expiresAt,
      ...(newEmail ? { newEmail } : {}),
    },
    message: {
      template: message.template,
      to: message.to,
      lang: user.lang,
      payload: message.payload(expiresAt.toISOString()),
      secretCiphertext: sealSecret(token, deps.config.mail.secretKeys),
    } satisfies NewOutboxMessage,
  };
}

async function issue(
  tx: Tx,
  deps: Pick<AccountDeps, 'config' | 'now'>,
  user: LinkUser,
  purpose: LinkPurpose,
  message: LinkMessage,
  newEmail?: string,
): Promise<void> {
  const { link, message: email } = newLink(deps, user, purpose, message, newEmail);
  await deleteUnusedLinks(tx, user.id, purpose);
  // The link and the email that carries it: one statement.
  await insertLink(tx, link, email);
}

/**
 * The password-setting link of a new registration and its completion email, for the
 * Registration statement to store with the user (store/registration.ts).
 */
export function registrationLink(deps: Pick<AccountDeps, 'config' | 'now'>, user: LinkUser) {
  return newLink(deps, user, 'password', completionMessage(user));
}

const completionMessage = (user: LinkUser): LinkMessage => ({
  template: 'registration-complete',
  to: user.email,
  payload: (linkExpiresAt) =>
    ({
      userId: user.id,
      userName: user.userName,
      linkExpiresAt,
    }) satisfies TemplatePayloads['registration-complete'],
});

/** Queues an email with a new password-setting link; older unused links stop working. */
export function issuePasswordLink(
  tx: Tx,
  deps: Pick<AccountDeps, 'config' | 'now'>,
  user: LinkUser,
  kind: 'forgot' | 'expired',
): Promise<void> {
  return issue(tx, deps, user, 'password', {
    template: 'password-link',
    to: user.email,
    payload: (linkExpiresAt) =>
      ({
        userId: user.id,
        userName: user.userName,
        reason: kind,
        linkExpiresAt,
      }) satisfies TemplatePayloads['password-link'],
  });
}

/** Queues a confirmation link to a new email address. */
export function issueEmailLink(
  tx: Tx,
  deps: Pick<AccountDeps, 'config' | 'now'>,
  user: LinkUser,
  newEmail: string,
): Promise<void> {
  return issue(
    tx,
    deps,
    user,
    'email',
    {
      template: 'email-confirm',
      to: newEmail,
      payload: (linkExpiresAt) =>
        ({
          userId: user.id,
          userName: user.userName,
          linkExpiresAt,
        }) satisfies TemplatePayloads['email-confirm'],
    },
    newEmail,
  );
}

export type LinkState =
  | { state: 'valid'; link: AccountLink }
  | { state: 'expired' | 'used'; link: AccountLink }
  | { state: 'unknown' };

export async function resolveLink(
  db: Queryable,
  token: unknown,
  purpose: LinkPurpose,
  now: Date,
): Promise<LinkState> {
  if (!isTokenShaped(token)) return { state: 'unknown' };
  const link = await findLinkByHash(db, hashLinkToken(token));
  if (!link || link.purpose !== purpose) return { state: 'unknown' };
  return linkState(link, now);
}

export function linkState(link: AccountLink, now: Date): LinkState {
  if (link.usedAt) return { state: 'used', link };
  if (link.expiresAt.getTime() <= now.getTime()) return { state: 'expired', link };
  return { state: 'valid', link };
}
