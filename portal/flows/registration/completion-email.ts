import type { Tx } from '../../store/schema.ts';
import { issuePasswordLink, registrationLink } from '../account/links.ts';
import type { PortalDeps } from '../deps.ts';

export interface CompletionEmailUser {
  id: string;
  email: string;
  userName: string;
  lang: 'ja' | 'en' | 'ja-easy';
}

/**
 * Writes the manual's "notification of completion of user information registration" to the
 * outbox, inside the registration transaction: the User ID and a single-use link to set the
 * password (valid PASSWORD_LINK_HOURS; only the token's hash is stored, the token itself is
 * encrypted in the outbox row until the worker has sent the message).
 */
export async function queueCompletionEmail(
  tx: Tx,
  deps: PortalDeps,
  user: CompletionEmailUser,
): Promise<void> {
  await issuePasswordLink(tx, deps, user, 'registration-complete');
}

/**
 * The same link and email, not yet stored: STEP2's Registration writes them in its one statement
 * (store/registration.ts) with the user they belong to.
 */
export function completionEmail(deps: Pick<PortalDeps, 'config' | 'now'>, user: CompletionEmailUser) {
  return registrationLink(deps, user);
}
