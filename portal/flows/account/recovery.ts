// Forgotten password: a new link by User ID and email address. The answer is the same whether
// or not they match a registration, and whether or not a cooldown held the link back.
import { parseEmail } from '../../domain/contact.ts';
import { parseUserId } from '../../domain/user-id.ts';
import { lastLinkIssuedAt } from '../../store/account-links.ts';
import { findAccountUser } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import { reserveAttempt } from '../../store/signin-throttle.ts';
import type { AccountDeps } from './deps.ts';
import { issuePasswordLink } from './links.ts';
import type { RequestInfo } from './password.ts';
import { keys, LINK_ADDRESS, LINK_COOLDOWN, LINK_COOLDOWN_MS, LINK_USER } from './throttle.ts';

export type ForgotErrors = { userId?: 'required'; email?: 'required' | 'invalid' };

export type ForgotResult =
  | { ok: true }
  | { ok: false; errors: ForgotErrors }
  | { ok: false; reason: 'lockedAddress'; until: Date };

export async function requestPasswordLink(
  deps: AccountDeps,
  input: { userId: string; email: string },
  req: RequestInfo,
): Promise<ForgotResult> {
  const errors: ForgotErrors = {};
  if (input.userId.trim() === '') errors.userId = 'required';
  const email = parseEmail(input.email);
  if (!email.ok) errors.email = email.error === 'required' ? 'required' : 'invalid';
  if (errors.userId || errors.email) return { ok: false, errors };

  const { db } = deps;
  const now = deps.now();
  // Every request takes one of the address's attempts before anything is looked up.
  const address = await reserveAttempt(db, keys.linkAddress(req.ip), now, LINK_ADDRESS);
  if (!address.ok) return { ok: false, reason: 'lockedAddress', until: address.until };

  const userId = parseUserId(input.userId);
  const user = userId ? await findAccountUser(db, userId) : undefined;
  const matches = !!user && email.ok && user.email.toLowerCase() === email.value.toLowerCase();
  if (!matches || !user) {
    await writeAudit(db, { event: 'password.link.nomatch', requestId: req.requestId, ip: req.ip });
    return { ok: true };
  }
  // The newest password link (the registration's included) starts the cooldown; the reserved
  // cooldown then lets one of several simultaneous requests through, and only a request that
  // passed it takes one of the day's five.
  const last = await lastLinkIssuedAt(db, user.id, 'password');
  const held =
    (last && now.getTime() - last.getTime() < LINK_COOLDOWN_MS) ||
    !(await reserveAttempt(db, keys.linkCooldown(user.id), now, LINK_COOLDOWN)).ok ||
    !(await reserveAttempt(db, keys.linkUser(user.id), now, LINK_USER)).ok;
  if (held) {
    await writeAudit(db, {
      event: 'password.link.held',
      userId: user.id,
      requestId: req.requestId,
      ip: req.ip,
    });
    return { ok: true };
  }
  await db.transaction().execute(async (tx) => {
    await issuePasswordLink(tx, deps, user, 'forgot');
    await writeAudit(tx, {
      event: 'password.link.sent',
      userId: user.id,
      requestId: req.requestId,
      ip: req.ip,
    });
  });
  return { ok: true };
}
