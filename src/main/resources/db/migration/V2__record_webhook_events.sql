-- Persona webhook events already applied, so a redelivery changes nothing.
create table webhook_event (
    event_id    text        primary key,
    name        text        not null,
    inquiry_id  text,
    created_at  timestamptz,
    received_at timestamptz not null default now()
);

-- How far along an inquiry is, to order two versions of it stamped with the same time: a version never
-- replaces one that is as new and further along.
create function inquiry_status_rank(status text) returns integer
    language sql immutable
as $$
    select case status
        when 'created' then 0
        when 'pending' then 1
        when 'expired' then 2
        when 'completed' then 3
        when 'needs_review' then 4
        else 5
    end
$$;
