-- Passkeys (WebAuthn), a second way to sign in after the card registered the account
-- (docs/decisions/1101-passkeys-second-way-to-sign-in.md).
--
-- Stored per passkey: what verifying its signatures needs (credential id, public key, sign
-- count), what the browser is told when asked for it (transports), whether the authenticator
-- says it is backed up, and the user's own name for it with its dates. Nothing else about the
-- device: no attestation, no AAGUID (which would say the authenticator's make), no user agent.
CREATE TABLE passkeys (
  credential_id   text PRIMARY KEY,                  -- base64url, as the browser reports it
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key      text NOT NULL,                     -- COSE key, base64url
  sign_count      bigint NOT NULL DEFAULT 0,
  transports      text NOT NULL DEFAULT '',          -- comma-separated (usb, nfc, ble, internal, hybrid)
  backed_up       boolean NOT NULL DEFAULT false,
  name            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz
);
CREATE INDEX passkeys__user_id ON passkeys (user_id, created_at);

-- Challenges handed to the browser: each bound to the session that asked for it, taken (deleted)
-- when the answer comes back, so it is used once; refused after expires_at.
CREATE TABLE passkey_challenges (
  challenge       text PRIMARY KEY,
  session_id      text NOT NULL,
  purpose         text NOT NULL CHECK (purpose IN ('register', 'signin')),
  user_id         text REFERENCES users (id) ON DELETE CASCADE,
  expires_at      timestamptz NOT NULL
);
CREATE INDEX passkey_challenges__expires_at ON passkey_challenges (expires_at);
