-- The Idempotency-Key of a create whose answer never arrived, kept on the claim of its user and template so
-- that the next attempt, after a crash or on another instance, sends it again and Persona answers with the
-- inquiry it may already have created. Cleared once an answer came back. A claim row that holds a key
-- outlives its release (expired instead of deleted).
alter table inquiry_claim add column create_key text;
