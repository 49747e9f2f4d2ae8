// Re-authentication on My page: the current password, asked before the password or the email
// address is changed. Throttled per account like sign-in (reserved before the check), so a
// session left open cannot be used to guess the password.
import { verifyPassword } from '../../domain/password-hash.ts';
import type { AccountUser } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import { recordFailure, reserveAttempt, resetAttempts } from '../../store/signin-throttle.ts';
import type { AccountDeps } from './deps.ts';
import type { RequestInfo } from './password.ts';
import { keys, REAUTH_USER } from './throttle.ts';

export type CurrentPasswordCheck =
  | { ok: true }
  | { ok: false; error: 'required' | 'wrong' }
  | { ok: false; error: 'locked'; until: Date };

export async function checkCurrentPassword(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  user: Pick<AccountUser, 'id' | 'passwordHash'>,
  current: string,
  req: RequestInfo,
  /** What the password was asked for (audit). */
  purpose: 'password' | 'email' | 'card' | 'passkey',
): Promise<CurrentPasswordCheck> {
  if (current === '') return { ok: false, error: 'required' };
  const { db } = deps;
  const now = deps.now();
  const key = keys.reauthUser(user.id);
  const audit = (event: string) =>
    writeAudit(db, { event, userId: user.id, requestId: req.requestId, ip: req.ip, detail: { purpose } });
  const reserved = await reserveAttempt(db, key, now, REAUTH_USER);
  if (!reserved.ok) {
    await audit('reauth.refused');
    return { ok: false, error: 'locked', until: reserved.until };
  }
  if (user.passwordHash && (await verifyPassword(user.passwordHash, current))) {
    await resetAttempts(db, key, now);
    return { ok: true };
  }
  const until = await recordFailure(db, key, now, REAUTH_USER);
  await audit(until ? 'reauth.locked' : 'reauth.failed');
  return until ? { ok: false, error: 'locked', until } : { ok: false, error: 'wrong' };
}
