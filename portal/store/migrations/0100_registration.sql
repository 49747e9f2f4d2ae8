-- Registration area: the card step, STEP1–STEP3 drafts, cards linked to users, the
-- municipality list. Plain PostgreSQL; PGlite runs the same file.

-- One card step: a nonce handed to the user client software, used once.
CREATE TABLE card_sessions (
  id                  text PRIMARY KEY,            -- random, appears in /card/continue?cs=
  nonce_hash          text NOT NULL UNIQUE,        -- SHA-256 (hex) of the nonce: the row is found by the posted nonce
  browser_session_id  text NOT NULL,               -- sessions.id of the browser that started it
  purpose             text NOT NULL CHECK (purpose IN ('registration', 'signin', 'recover-user-id')),
  origin              text NOT NULL,               -- the public origin the nonce was issued for
  created_at          timestamptz NOT NULL DEFAULT now(),
  expires_at          timestamptz NOT NULL,
  used_at             timestamptz,                 -- set when the callback arrives (success or not)
  outcome             text CHECK (outcome IN ('verified', 'failed')),
  error_code          text,
  result              jsonb,                       -- on success: fingerprint, serial, prefill
  continued_at        timestamptz                  -- set when the browser collects the result
);
CREATE INDEX card_sessions__expires_at ON card_sessions (expires_at);

-- A STEP1–STEP2 draft (a stored flow): expires after some idle minutes, deleted on completion.
CREATE TABLE registration_drafts (
  id                     text PRIMARY KEY,
  browser_session_id     text NOT NULL,
  card_session_id        text NOT NULL,
  auth_cert_fingerprint  text NOT NULL,
  auth_cert_serial       text NOT NULL,
  state                  text NOT NULL DEFAULT 'entering' CHECK (state IN ('entering', 'confirming')),
  data                   jsonb NOT NULL DEFAULT '{}'::jsonb,
  version                integer NOT NULL DEFAULT 1,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz NOT NULL
);
CREATE INDEX registration_drafts__expires_at ON registration_drafts (expires_at);

-- The card (its authentication certificate) a user registered with; one user per card.
CREATE TABLE user_cards (
  auth_cert_fingerprint  text PRIMARY KEY,         -- SHA-256 (hex) of the certificate DER
  user_id                text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  auth_cert_serial       text NOT NULL,
  registration_draft_id  text UNIQUE,              -- makes a repeated Registration click find its user
  created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_cards__user_id ON user_cards (user_id);

CREATE TABLE prefectures (
  code       text PRIMARY KEY,                     -- JIS X 0401, 2 digits
  name_ja    text NOT NULL,
  name_kana  text NOT NULL,
  name_en    text NOT NULL
);

CREATE TABLE municipalities (
  code             text PRIMARY KEY,               -- 全国地方公共団体コード, 6 digits
  prefecture_code  text NOT NULL REFERENCES prefectures (code),
  name_ja          text NOT NULL,
  name_kana        text NOT NULL,
  name_en          text NOT NULL,
  kind             text NOT NULL,
  selectable       boolean NOT NULL,
  parent_code      text,
  county_ja        text,
  county_en        text,
  sort_order       integer NOT NULL
);
CREATE INDEX municipalities__prefecture_code ON municipalities (prefecture_code, sort_order);

-- Which version of a bundled data file the tables hold (SHA-256 of the file).
CREATE TABLE reference_data (
  name        text PRIMARY KEY,
  sha256      text NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
