-- A message queued is due at once. Its time was PostgreSQL's now() (microseconds) while a worker
-- asks for rows due at its own clock, a JavaScript Date (milliseconds, truncated): a message
-- queued and claimed within the same millisecond was "not yet due" and waited a poll interval
-- (found by a CI run: a test queued one row and claimed nothing). The default is now() truncated
-- to the millisecond, the precision a worker's clock has.
ALTER TABLE outbox ALTER COLUMN next_attempt_at SET DEFAULT date_trunc('milliseconds', now());
