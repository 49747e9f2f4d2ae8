// The emails that tell an account holder about a change to the account (password, email address,
// card, passkeys): to the registered address, in the account's language, with the time of change.
import type { TemplatePayloads } from '../../mail/templates.tsx';
import type { AccountUser } from '../../store/accounts.ts';
import { insertOutbox } from '../../store/outbox.ts';
import type { Tx } from '../../store/schema.ts';

type NoticeTemplate =
  | 'password-changed'
  | 'email-changed'
  | 'card-renewed'
  | 'passkey-added'
  | 'passkey-removed';

/** Queues the notice in the caller's transaction; `extra` is what the template needs beyond who and when. */
export function queueAccountNotice<K extends NoticeTemplate>(
  tx: Tx,
  user: Pick<AccountUser, 'id' | 'email' | 'userName' | 'lang'>,
  template: K,
  at: Date,
  extra: Omit<TemplatePayloads[K], 'userId' | 'userName' | 'at'>,
): Promise<string> {
  return insertOutbox(tx, {
    template,
    to: user.email,
    lang: user.lang,
    payload: { userId: user.id, userName: user.userName, at: at.toISOString(), ...extra },
  });
}
