-- The Message-ID of each outbox row, written when a worker first claims it and before anything is
-- sent: a worker that dies after the SMTP server accepted a message but before marking it sent
-- leaves a row whose next attempt carries the same Message-ID, so the copy can be dropped.
ALTER TABLE outbox ADD COLUMN message_id text;
