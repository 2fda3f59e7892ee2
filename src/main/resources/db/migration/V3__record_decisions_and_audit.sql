-- The decision last served for each user and template, to tell when it changes.
create table gate_decision (
    reference_id text        not null,
    template_id  text        not null,
    decision     text        not null,
    reason       text        not null,
    inquiry_id   text,
    decided_at   timestamptz not null,
    primary key (reference_id, template_id)
);

-- Every change of a user's gate, and every inquiry created or resumed for them.
create table gate_audit (
    id             bigserial   primary key,
    occurred_at    timestamptz not null default now(),
    reference_id   text        not null,
    template_id    text        not null,
    action         text        not null,
    inquiry_id     text,
    decision       text,
    reason         text,
    correlation_id text
);

create index gate_audit_by_user_template on gate_audit (reference_id, template_id, occurred_at);
