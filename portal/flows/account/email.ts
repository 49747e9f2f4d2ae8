// Changing the email address: confirmed by a link sent to the new address; the old address is told.
import { parseEmail, parseEmailConfirm } from '../../domain/contact.ts';
import { maskEmail } from '../../mail/format.ts';
import { deleteUnusedLinks, findLinkById, markLinkUsed } from '../../store/account-links.ts';
import { findAccountUser, updateEmail } from '../../store/accounts.ts';
import { writeAudit } from '../../store/audit.ts';
import type { AccountDeps } from './deps.ts';
import { issueEmailLink, linkState } from './links.ts';
import { queueAccountNotice } from './notices.ts';
import type { RequestInfo } from './password.ts';
import { checkCurrentPassword } from './reauth.ts';

export interface EmailChangeErrors {
  /** 'locked': too many wrong current passwords (the result says until when). */
  current?: 'required' | 'wrong' | 'locked';
  email?: 'required' | 'invalid' | 'same';
  confirm?: 'required' | 'mismatch';
}

export async function requestEmailChange(
  deps: AccountDeps,
  userId: string,
  input: { current: string; email: string; confirm: string },
  req: RequestInfo,
): Promise<{ ok: true } | { ok: false; errors: EmailChangeErrors; lockedUntil?: Date }> {
  const user = await findAccountUser(deps.db, userId);
  if (!user) return { ok: false, errors: { current: 'wrong' } };
  const errors: EmailChangeErrors = {};
  const email = parseEmail(input.email);
  if (!email.ok) errors.email = email.error === 'required' ? 'required' : 'invalid';
  else if (email.value.toLowerCase() === user.email.toLowerCase()) errors.email = 'same';
  if (!errors.email) {
    const confirm = parseEmailConfirm(input.email, input.confirm);
    if (!confirm.ok) errors.confirm = confirm.error;
  }
  const current = await checkCurrentPassword(deps, user, input.current, req, 'email');
  if (!current.ok) {
    errors.current = current.error;
    if (current.error === 'locked') return { ok: false, errors, lockedUntil: current.until };
  }
  if (errors.current || errors.email || errors.confirm || !email.ok) return { ok: false, errors };
  await deps.db.transaction().execute(async (tx) => {
    await issueEmailLink(tx, deps, user, email.value);
    await writeAudit(tx, { event: 'email.change.requested', userId, requestId: req.requestId, ip: req.ip });
  });
  return { ok: true };
}

/** The pending change a confirmation link stands for, if it is still valid. */
export async function pendingEmailChange(
  deps: AccountDeps,
  linkId: string | undefined,
): Promise<{ userId: string; newEmail: string } | undefined> {
  const link = linkId ? await findLinkById(deps.db, linkId) : undefined;
  if (link?.purpose !== 'email' || !link.newEmail) return undefined;
  if (linkState(link, deps.now()).state !== 'valid') return undefined;
  return { userId: link.userId, newEmail: link.newEmail };
}

export async function confirmEmailChange(
  deps: AccountDeps,
  linkId: string | undefined,
  req: RequestInfo,
): Promise<{ ok: true; userId: string } | { ok: false }> {
  const pending = await pendingEmailChange(deps, linkId);
  if (!pending) return { ok: false };
  const now = deps.now();
  return deps.db.transaction().execute(async (tx) => {
    const user = await findAccountUser(tx, pending.userId, { forUpdate: true });
    if (!user || !(await markLinkUsed(tx, linkId!, now))) return { ok: false } as const;
    await updateEmail(tx, user.id, pending.newEmail, now);
    // Password links went to the old address, which may no longer be the user's: none stays valid.
    await deleteUnusedLinks(tx, user.id, 'password');
    await queueAccountNotice(tx, user, 'email-changed', now, {
      newAddressMasked: maskEmail(pending.newEmail),
    });
    await writeAudit(tx, { event: 'email.changed', userId: user.id, requestId: req.requestId, ip: req.ip });
    return { ok: true, userId: user.id } as const;
  });
}
