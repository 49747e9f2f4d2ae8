import { insertLink } from '../../store/account-links.ts';
import type { Tx } from '../../store/schema.ts';
import { registrationLink } from '../account/links.ts';
import type { PortalDeps } from '../deps.ts';

export interface CompletionEmailUser {
  id: string;
  email: string;
  userName: string;
  lang: 'ja' | 'en' | 'ja-easy';
}

/**
 * The manual's "notification of completion of user information registration", not yet stored:
 * the User ID and a single-use link to set the password (valid PASSWORD_LINK_HOURS; only the
 * token's hash is stored, the token itself is encrypted in the outbox row until the worker has
 * sent the message). STEP2's Registration writes both in its one statement (store/registration.ts)
 * with the user they belong to.
 */
export function completionEmail(deps: Pick<PortalDeps, 'config' | 'now'>, user: CompletionEmailUser) {
  return registrationLink(deps, user);
}

/**
 * The same link and email for a user who already exists (tests create users directly and then
 * follow the email as an applicant would): one statement, as insertLink writes any link.
 */
export async function queueCompletionEmail(
  tx: Tx,
  deps: PortalDeps,
  user: CompletionEmailUser,
): Promise<void> {
  const { link, message } = completionEmail(deps, user);
  await insertLink(tx, link, message);
}
