-- The card step's result travels in the browser's (cookie) session. What the browser was given
-- is remembered by its SHA-256, and the result is accepted back only unchanged, by the same
-- browser session, once (redeemCardSession). docs/decisions/0604-secrets-and-session-lifetime.md.
ALTER TABLE card_sessions ADD COLUMN result_digest text;
ALTER TABLE card_sessions ADD COLUMN redeemed_at timestamptz;
