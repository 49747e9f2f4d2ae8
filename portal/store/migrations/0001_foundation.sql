-- Foundation: browser sessions, audit trail, users.
-- Plain SQL, one dialect (PostgreSQL); PGlite runs the same file.

CREATE TABLE sessions (
  -- SHA-256 (hex) of the cookie value: a database leak does not yield usable cookies.
  id            text PRIMARY KEY,
  csrf_token    text NOT NULL,
  user_id       text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE audit_events (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  event       text NOT NULL,
  user_id     text,
  request_id  text,
  ip          text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_user ON audit_events (user_id, at);

-- A registered user. Column names follow the manual's field names.
CREATE TABLE users (
  id                          text PRIMARY KEY,           -- the User ID shown at STEP3
  user_name                   text NOT NULL,
  sex                         text NOT NULL CHECK (sex IN ('male', 'female')),
  date_of_birth               date NOT NULL,
  prefecture_code             text NOT NULL,
  municipality_code           text NOT NULL,
  street_address              text NOT NULL,
  telephone                   text NOT NULL,
  email                       text NOT NULL,
  user_category               text NOT NULL,
  residence_card_number       text,
  proxy_notification_number   text,
  lang                        text NOT NULL DEFAULT 'ja',
  password_hash               text,
  password_set_at             timestamptz,
  password_expires_at         timestamptz,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email ON users (lower(email));

-- Every email is written here in the same transaction as the change that causes it;
-- a worker delivers it (nothing is sent from inside a request). Bodies are rendered at
-- delivery from template + payload, so the database holds no message text; a secret
-- (the password-setting link token) is stored encrypted and erased once sent.
CREATE TABLE outbox (
  id                 bigserial PRIMARY KEY,
  template           text NOT NULL,
  to_address         text NOT NULL,
  lang               text NOT NULL,
  payload            jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret_ciphertext  text,
  state              text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts           integer NOT NULL DEFAULT 0,
  next_attempt_at    timestamptz NOT NULL DEFAULT now(),
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  sent_at            timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('queued', 'sending');
