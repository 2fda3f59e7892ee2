-- Who caused an audit row when a person or service asked (the token's subject), their note, and the
-- status of the inquiry the row is about.
alter table gate_audit
    add column actor          text,
    add column note           text,
    add column inquiry_status text;

-- One more inquiry an operator let a user start although the policy said DENY. Used by the next
-- inquiry created for the user: inquiry_id is set in the transaction that records that inquiry.
create table inquiry_grant (
    id           bigserial   primary key,
    reference_id text        not null,
    template_id  text        not null,
    granted_at   timestamptz not null,
    granted_by   text        not null,
    reason       text        not null,
    inquiry_id   text,
    used_at      timestamptz
);

create index inquiry_grant_by_user_template on inquiry_grant (reference_id, template_id);
