-- The retention purge (store/RetentionPurge) deletes the oldest rows of the webhook journal and of the
-- audit trail in batches: these indexes find them without reading either table whole.
create index webhook_event_by_received_at on webhook_event (received_at);

create index gate_audit_by_occurred_at on gate_audit (occurred_at);
