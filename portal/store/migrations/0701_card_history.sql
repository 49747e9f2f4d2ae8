-- Card renewal (docs/decisions/0702-card-renewal.md): an account's cards over time.
--
-- user_cards keeps every card an account was linked to; the current one has replaced_at NULL.
-- "Use a new Individual Number card" on My page inserts the new card's row and sets replaced_at
-- on the previous one in the same transaction, so the old certificate stays in the account's
-- history and its identity stays taken (it cannot register a second account), while only the
-- current card signs in or recovers the User ID (portal/store/user-cards.ts findUserIdByCard).
ALTER TABLE user_cards ADD COLUMN replaced_at timestamptz;

-- A card step started from My page to read the new card.
ALTER TABLE card_sessions DROP CONSTRAINT card_sessions_purpose_check;
ALTER TABLE card_sessions ADD CONSTRAINT card_sessions_purpose_check
  CHECK (purpose IN ('registration', 'signin', 'recover-user-id', 'renew-card'));

-- STEP1 tells an applicant whose signature certificate's name, sex and date of birth match an
-- existing account that they may already be registered: an index lookup, not a scan.
CREATE INDEX users__date_of_birth_sex_user_name ON users (date_of_birth, sex, user_name);
