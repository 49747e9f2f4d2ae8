-- Card identity (docs/decisions/0601-card-identity.md): a card is known by the SHA-256 (hex)
-- of its authentication certificate's tbsCertificate, the bytes the CA signed, and no longer
-- by the SHA-256 of the certificate as posted (whose unsigned outer layer could be re-encoded).
--
-- Rows written before this migration cannot be filled here: the hash of the whole certificate
-- does not give the hash of its TBS. They keep card_identity NULL and are found by
-- auth_cert_fingerprint (still the primary key) until the card's next use fills it in
-- (portal/store/user-cards.ts findUserIdByCard). That fallback is safe because the certificate
-- reader now accepts one encoding per certificate, so a card's fingerprint cannot be varied.
ALTER TABLE user_cards ADD COLUMN card_identity text;
CREATE UNIQUE INDEX user_cards__card_identity ON user_cards (card_identity);

-- Drafts carry it from the card step to Registration; drafts started before this migration
-- have none and link a row that is filled on the card's next use, as above.
ALTER TABLE registration_drafts ADD COLUMN card_identity text;
