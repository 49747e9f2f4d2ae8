import type { Tx } from '../store/schema.ts';
import type { PortalDeps } from '../web/deps.ts';

export interface CompletionEmailUser {
  id: string;
  email: string;
  userName: string;
  lang: 'ja' | 'en';
}

/**
 * Writes the manual's "notification of completion of user information registration" to the
 * outbox, inside the registration transaction. It carries the User ID and a single-use link to
 * set the password. (Account area: this first version queues the message without the link.)
 */
export async function queueCompletionEmail(
  tx: Tx,
  _deps: PortalDeps,
  user: CompletionEmailUser,
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({
      template: 'registration-complete',
      to_address: user.email,
      lang: user.lang,
      payload: JSON.stringify({ userId: user.id, userName: user.userName }),
    })
    .execute();
}
