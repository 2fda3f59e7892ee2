-- When the cache first heard of each inquiry, by this service's clock, and when a listing last showed it.
-- A listing that does not show an inquiry no listing ever showed, first heard of well before it (Persona's
-- listing can lag just behind a create), removes it: the listing is the truth. An inquiry a listing once
-- showed is kept when a later one leaves it out (once its account is redacted Persona no longer finds it
-- by reference id), and so is a redacted one. Times Persona sends that lie ahead of this are clamped.
alter table persona_inquiry
    add column first_seen_at timestamptz not null default now(),
    add column listed_at     timestamptz;

-- What a webhook or Persona's event list last told of the user's inquiries on the template, and when.
-- Events are hints, not evidence: until a listing shows the inquiry at that status or a later version
-- (or the hint is older than the listing's lag), the cached answer is not served as fresh.
alter table gate_check
    add column hinted_at       timestamptz,
    add column hint_inquiry_id text,
    add column hint_status     text,
    add column hint_version    timestamptz;

-- When the create key kept on a claim was first sent: a key whose create a listing, well after it, still
-- does not show (Persona answered it with a failure it replays, or with another user's inquiry) is dropped.
alter table inquiry_claim add column create_key_at timestamptz;
