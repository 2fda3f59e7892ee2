-- Where reconciliation stands in Persona's event list (GET /events), and which instance runs it now.
-- One row, created by the first instance that runs.
create table reconcile_state (
    id           integer     primary key check (id = 1),
    -- every event created before this, less an overlap, has been read
    cursor_at    timestamptz,
    -- an unfinished sweep continues after this event id, down to resume_until, and then the cursor
    -- becomes resume_top
    resume_after text,
    resume_until timestamptz,
    resume_top   timestamptz,
    -- the instance running it, until when
    owner        uuid,
    lease_until  timestamptz,
    finished_at  timestamptz
);
