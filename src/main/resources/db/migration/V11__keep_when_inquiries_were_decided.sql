-- When Persona says an inquiry was decided (decisioned-at), completed (completed-at) or failed (failed-at):
-- cooldowns after a failure or a decline, and how long an approval stays valid, count from these.
-- Inquiries cached before have none until a listing rewrites them; the policy then falls back to
-- updated_at.
alter table persona_inquiry
    add column decisioned_at timestamptz,
    add column completed_at timestamptz,
    add column failed_at timestamptz;
