// Sign-in with User ID and password: throttled per User ID and per address, told plainly.
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '../../domain/password-hash.ts';
import { parseUserId } from '../../domain/user-id.ts';
import { findAccountUser, replacePasswordHash } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import { lastLinkIssuedAt } from '../../store/password-links.ts';
import { clearThrottle, lockedUntil, recordHit } from '../../store/signin-throttle.ts';
import type { AccountDeps } from './deps.ts';
import { issuePasswordLink } from './links.ts';
import type { RequestInfo } from './password.ts';
import { keys, LINK_COOLDOWN_MS, SIGNIN_ADDRESS, SIGNIN_USER } from './throttle.ts';

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
  const addressLock = await lockedUntil(db, keys.signinAddress(req.ip), now);
  if (addressLock) return { ok: false, reason: 'lockedAddress', until: addressLock };
  const userId = parseUserId(input.userId);
  if (userId) {
    const userLock = await lockedUntil(db, keys.signinUser(userId), now);
    if (userLock) return { ok: false, reason: 'lockedUser', until: userLock };
  }
  const user = userId ? await findAccountUser(db, userId) : undefined;
  let good = false;
  if (user?.passwordHash) good = await verifyPassword(user.passwordHash, input.password);
  else await verifyDummy(input.password);

  if (!good || !user) {
    const addressUntil = await recordHit(db, keys.signinAddress(req.ip), now, SIGNIN_ADDRESS);
    const userUntil = userId ? await recordHit(db, keys.signinUser(userId), now, SIGNIN_USER) : undefined;
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

  await clearThrottle(db, keys.signinUser(user.id));
  if (needsRehash(user.passwordHash!))
    await replacePasswordHash(db, user.id, await hashPassword(input.password));

  if (user.passwordExpiresAt && user.passwordExpiresAt.getTime() <= now.getTime()) {
    // The right password, but too old: a link to set a new one goes to the address on file.
    const last = await lastLinkIssuedAt(db, user.id, 'password');
    const linkSent = !last || now.getTime() - last.getTime() >= LINK_COOLDOWN_MS;
    if (linkSent) await db.transaction().execute((tx) => issuePasswordLink(tx, deps, user, 'expired'));
    await writeAudit(db, { event: 'signin.expired', userId: user.id, requestId: req.requestId, ip: req.ip });
    return { ok: false, reason: 'expired', expiredAt: user.passwordExpiresAt, linkSent };
  }
  await writeAudit(db, { event: 'signin.password', userId: user.id, requestId: req.requestId, ip: req.ip });
  return { ok: true, userId: user.id };
}
