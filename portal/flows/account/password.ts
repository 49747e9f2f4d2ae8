// Setting a password with an emailed link, and changing it on My page.
import { checkNewPassword, type PasswordError } from '../../domain/password.ts';
import { hashPassword } from '../../domain/password-hash.ts';
import { deleteUnusedLinks, findLinkById, markLinkUsed } from '../../store/account-links.ts';
import {
  type AccountUser,
  deleteUserSessions,
  findAccountUser,
  updatePassword,
} from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import type { Tx } from '../../store/schema.ts';
import type { AccountDeps } from './deps.ts';
import { linkState } from './links.ts';
import { queueAccountNotice } from './notices.ts';
import { checkCurrentPassword } from './reauth.ts';

export interface PasswordErrors {
  /** 'locked': too many wrong current passwords (the result says until when). */
  current?: 'required' | 'wrong' | 'locked';
  password?: PasswordError | 'sameAsCurrent';
  confirm?: PasswordError;
}

export interface RequestInfo {
  ip: string;
  requestId: string;
}

export type LinkProblem = 'expired' | 'used' | 'unknown';

/** The link a browser holds (its id is kept in the session after the emailed URL was opened). */
export async function passwordLinkUser(
  deps: AccountDeps,
  linkId: string | undefined,
): Promise<{ ok: true; user: AccountUser } | { ok: false; problem: LinkProblem }> {
  const link = linkId ? await findLinkById(deps.db, linkId) : undefined;
  if (link?.purpose !== 'password') return { ok: false, problem: 'unknown' };
  const state = linkState(link, deps.now());
  if (state.state !== 'valid') return { ok: false, problem: state.state };
  const user = await findAccountUser(deps.db, link.userId);
  return user ? { ok: true, user } : { ok: false, problem: 'unknown' };
}

function queuePasswordChanged(tx: Tx, user: AccountUser, at: Date) {
  return queueAccountNotice(tx, user, 'password-changed', at, {});
}

export type SetPasswordResult =
  | { ok: true; userId: string }
  | { ok: false; problem: LinkProblem }
  | { ok: false; errors: PasswordErrors };

export async function setPasswordWithLink(
  deps: AccountDeps,
  linkId: string | undefined,
  password: string,
  confirm: string,
  req: RequestInfo,
): Promise<SetPasswordResult> {
  const target = await passwordLinkUser(deps, linkId);
  if (!target.ok) return target;
  const { user } = target;
  const errors = checkNewPassword(password, confirm, { userId: user.id, userName: user.userName });
  if (errors.password || errors.confirm) return { ok: false, errors };
  // The hash is computed outside the transaction: it takes tens of milliseconds.
  const hash = await hashPassword(password);
  const now = deps.now();
  return deps.db.transaction().execute(async (tx) => {
    const link = await findLinkById(tx, linkId!, { forUpdate: true });
    if (!link || !(await markLinkUsed(tx, link.id, now))) return { ok: false, problem: 'used' } as const;
    const expires = new Date(now.getTime() + deps.config.passwordValidityDays * 86_400_000);
    await updatePassword(tx, user.id, hash, now, expires);
    await deleteUnusedLinks(tx, user.id, 'password');
    await deleteUserSessions(tx, user.id);
    // A reset (not the first setting) is announced to the address on file.
    if (user.passwordSetAt) await queuePasswordChanged(tx, user, now);
    await writeAudit(tx, {
      event: user.passwordSetAt ? 'password.reset' : 'password.set',
      userId: user.id,
      requestId: req.requestId,
      ip: req.ip,
    });
    return { ok: true, userId: user.id } as const;
  });
}

export async function changePassword(
  deps: AccountDeps,
  userId: string,
  input: { current: string; password: string; confirm: string },
  req: RequestInfo & { sessionId: string },
): Promise<{ ok: true } | { ok: false; errors: PasswordErrors; lockedUntil?: Date }> {
  const user = await findAccountUser(deps.db, userId);
  if (!user?.passwordHash) return { ok: false, errors: { current: 'wrong' } };
  const errors: PasswordErrors = checkNewPassword(input.password, input.confirm, {
    userId: user.id,
    userName: user.userName,
  });
  const current = await checkCurrentPassword(deps, user, input.current, req, 'password');
  if (!current.ok) {
    errors.current = current.error;
    if (current.error === 'locked') return { ok: false, errors, lockedUntil: current.until };
  } else if (!errors.password && input.password === input.current) errors.password = 'sameAsCurrent';
  if (errors.current || errors.password || errors.confirm) return { ok: false, errors };
  const hash = await hashPassword(input.password);
  const now = deps.now();
  await deps.db.transaction().execute(async (tx) => {
    const expires = new Date(now.getTime() + deps.config.passwordValidityDays * 86_400_000);
    await updatePassword(tx, user.id, hash, now, expires);
    await deleteUnusedLinks(tx, user.id, 'password');
    await deleteUserSessions(tx, user.id, req.sessionId);
    await queuePasswordChanged(tx, user, now);
    await writeAudit(tx, {
      event: 'password.changed',
      userId: user.id,
      requestId: req.requestId,
      ip: req.ip,
    });
  });
  return { ok: true };
}
