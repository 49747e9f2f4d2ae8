// STEP1's hint for a renewed card (docs/decisions/0702-card-renewal.md): not a refusal.
import type { Basic4Prefill } from '../../../card/basic4.ts';
import { accountWithBasic4Exists } from '../../store/card-renewal.ts';
import type { Queryable } from '../../store/schema.ts';

/**
 * True when the signature certificate filled name, sex and date of birth and an account with the
 * same three exists: the applicant may already be registered with a card that has since been
 * renewed, and should link the new card on My page instead of registering again.
 */
export async function mayAlreadyBeRegistered(db: Queryable, prefill: Basic4Prefill): Promise<boolean> {
  const { userName, sex, dateOfBirth } = prefill;
  if (!userName || !sex || !dateOfBirth) return false;
  return accountWithBasic4Exists(db, { userName, sex, dateOfBirth });
}
