import { describeFailure, sealerFor } from '../crypto/sealer.ts';

/**
 * The secret inside a queued message (a link token) is stored sealed (AES-256-GCM, the portal's
 * one sealer) under MAIL_SECRET_KEY, and erased once sent: a copy of the database alone never
 * yields a usable link. MAIL_SECRET_KEY may list older keys after the current one, so mail
 * queued before a key change still goes out (docs/decisions/0810-one-sealer-with-key-ids.md).
 * Formats: `v2.<key id>.<sealed>`; `v1.<sealed>` from before key ids still opens.
 */
export function sealSecret(plain: string, secretKeys: readonly string[]): string {
  return `v2.${sealerFor('outbox', secretKeys).seal(plain)}`;
}

/** The secret of a queued message; throws with a line for the operator when no key opens it. */
export function openSecret(sealed: string, secretKeys: readonly string[]): string {
  const version = sealed.slice(0, 3);
  if (version !== 'v1.' && version !== 'v2.') throw new Error('secret: unknown format');
  const body = sealed.slice(3);
  // v1 values carry no key id (and never contain a dot); v2 values always do.
  if ((version === 'v2.') !== body.includes('.')) throw new Error('secret: unknown format');
  const opened = sealerFor('outbox', secretKeys).open(body);
  if (!opened.ok) throw new Error(`secret: ${describeFailure(opened, 'MAIL_SECRET_KEY')}`);
  return opened.plain;
}
