-- Account area: outbox leases, single-use links, sign-in throttling, password-expiry reminders.

-- A worker claims a row by setting state 'sending' with a lease; a row whose lease ran out
-- (the worker crashed) is claimed again by any worker.
ALTER TABLE outbox ADD COLUMN locked_by text;
ALTER TABLE outbox ADD COLUMN locked_until timestamptz;
CREATE INDEX outbox__state_created_at ON outbox (state, created_at);

-- Links sent by email: setting a password (purpose 'password') and confirming a new email
-- address (purpose 'email'). Only the SHA-256 of the token is kept; the token itself exists
-- only in the email (and, until sent, encrypted in the outbox row).
CREATE TABLE account_links (
  id          bigserial PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('password', 'email')),
  token_hash  text NOT NULL UNIQUE,
  new_email   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX account_links__user_id_purpose ON account_links (user_id, purpose, created_at);

-- Failure counters for sign-in and link requests, keyed 'signin-user:<id>', 'signin-ip:<ip>', …
-- Shared by every portal instance because it lives in the database.
CREATE TABLE signin_throttle (
  key                text PRIMARY KEY,
  failures           integer NOT NULL DEFAULT 0,
  window_started_at  timestamptz NOT NULL,
  locked_until       timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signin_throttle__updated_at ON signin_throttle (updated_at);

-- One row per reminder sent, so each reminder (30 and 7 days before expiry) goes out once
-- even with several workers; a new password (new expiry) starts a new pair.
CREATE TABLE password_reminders (
  user_id              text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  days_before          integer NOT NULL,
  password_expires_at  timestamptz NOT NULL,
  queued_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, days_before, password_expires_at)
);
