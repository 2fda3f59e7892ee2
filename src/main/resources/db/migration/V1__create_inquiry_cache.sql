-- What the gate has learnt from Persona about each user's inquiries on each gated template.
create table persona_inquiry (
    inquiry_id   text        primary key,
    reference_id text        not null,
    template_id  text        not null,
    status       text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz,
    expired_at   timestamptz,
    redacted_at  timestamptz,
    synced_at    timestamptz not null
);

create index persona_inquiry_by_user_template on persona_inquiry (reference_id, template_id);

-- When the whole list of a user's inquiries on a template was last read from Persona.
create table gate_check (
    reference_id text        not null,
    template_id  text        not null,
    checked_at   timestamptz not null,
    primary key (reference_id, template_id)
);

-- The lease that serialises get-or-create of an inquiry per user and template across instances.
-- Waiters poll it instead of blocking on a lock, so they hold no connection while they wait.
create table inquiry_claim (
    reference_id text        not null,
    template_id  text        not null,
    owner        uuid        not null,
    expires_at   timestamptz not null,
    primary key (reference_id, template_id)
);
