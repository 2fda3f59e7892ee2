-- A grant may lapse: one not used by an inquiry created before expires_at no longer lets the user start one.
-- Null: it lasts until used, as before. The audit row of the grant keeps the expiry for the history.
alter table inquiry_grant add column expires_at timestamptz;
alter table gate_audit add column expires_at timestamptz;
