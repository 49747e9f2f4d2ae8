// Sign-in with User ID and password: throttled per User ID and per address, told plainly.
// The attempt is reserved (counted) before the password is checked, so simultaneous requests
// cannot get past the limits while the first ones are still being verified.
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '../../domain/password-hash.ts';
import { parseUserId } from '../../domain/user-id.ts';
import { lastLinkIssuedAt } from '../../store/account-links.ts';
import { findAccountUser, replacePasswordHash } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import { recordFailure, reserveAttempt, resetAttempts, returnAttempt } from '../../store/signin-throttle.ts';
import type { AccountDeps } from './deps.ts';
import { issuePasswordLink } from './links.ts';
import type { RequestInfo } from './password.ts';
import { keys, LINK_COOLDOWN, LINK_COOLDOWN_MS, SIGNIN_ADDRESS, SIGNIN_USER } from './throttle.ts';

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'lockedUser' | 'lockedAddress'; until: Date }
  | { ok: false; reason: 'expired'; expiredAt: Date; linkSent: boolean };

export async function signInWithPassword(
  deps: AccountDeps,
  input: { userId: string; password: string },
  req: RequestInfo,
): Promise<SignInResult> {
  const { db } = deps;
  const now = deps.now();
  const addressKey = keys.signinAddress(req.ip);
  const refused = (lock: 'user' | 'address') =>
    writeAudit(db, { event: 'signin.refused', requestId: req.requestId, ip: req.ip, detail: { lock } });

  const address = await reserveAttempt(db, addressKey, now, SIGNIN_ADDRESS);
  if (!address.ok) {
    await refused('address');
    return { ok: false, reason: 'lockedAddress', until: address.until };
  }
  const userId = parseUserId(input.userId);
  const userKey = userId ? keys.signinUser(userId) : undefined;
  if (userKey) {
    const reserved = await reserveAttempt(db, userKey, now, SIGNIN_USER);
    if (!reserved.ok) {
      // Nothing was checked: the address keeps its attempt.
      await returnAttempt(db, addressKey, now);
      await refused('user');
      return { ok: false, reason: 'lockedUser', until: reserved.until };
    }
  }

  const user = userId ? await findAccountUser(db, userId) : undefined;
  let good = false;
  if (user?.passwordHash) good = await verifyPassword(user.passwordHash, input.password);
  else await verifyDummy(input.password);

  if (!good || !user) {
    const addressUntil = await recordFailure(db, addressKey, now, SIGNIN_ADDRESS);
    const userUntil = userKey ? await recordFailure(db, userKey, now, SIGNIN_USER) : undefined;
    await writeAudit(db, {
      event: userUntil ? 'signin.locked' : 'signin.failed',
      userId: user?.id ?? null,
      requestId: req.requestId,
      ip: req.ip,
    });
    if (userUntil) return { ok: false, reason: 'lockedUser', until: userUntil };
    if (addressUntil) return { ok: false, reason: 'lockedAddress', until: addressUntil };
    return { ok: false, reason: 'invalid' };
  }

  // The address keeps its other failures (an attacker who owns one account cannot clear them);
  // the User ID starts counting again, unless a lock is in force (then it runs its course).
  await returnAttempt(db, addressKey, now);
  if (userKey) await resetAttempts(db, userKey, now);
  if (needsRehash(user.passwordHash!))
    await replacePasswordHash(db, user.id, await hashPassword(input.password));

  if (user.passwordExpiresAt && user.passwordExpiresAt.getTime() <= now.getTime()) {
    // The right password, but too old: a link to set a new one goes to the address on file.
    const last = await lastLinkIssuedAt(db, user.id, 'password');
    const linkSent =
      (!last || now.getTime() - last.getTime() >= LINK_COOLDOWN_MS) &&
      (await reserveAttempt(db, keys.linkCooldown(user.id), now, LINK_COOLDOWN)).ok;
    if (linkSent) await db.transaction().execute((tx) => issuePasswordLink(tx, deps, user, 'expired'));
    await writeAudit(db, { event: 'signin.expired', userId: user.id, requestId: req.requestId, ip: req.ip });
    return { ok: false, reason: 'expired', expiredAt: user.passwordExpiresAt, linkSent };
  }
  await writeAudit(db, { event: 'signin.password', userId: user.id, requestId: req.requestId, ip: req.ip });
  return { ok: true, userId: user.id };
}
