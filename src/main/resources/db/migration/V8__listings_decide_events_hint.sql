-- When the cache first heard of each inquiry, by this service's clock. A listing that no longer shows an
-- inquiry first heard of well before it (Persona's listing can lag just behind a create) removes it: the
-- listing is the truth. Times Persona sends that lie ahead of this are clamped to it, less a skew.
alter table persona_inquiry add column first_seen_at timestamptz not null default now();

-- When a webhook or Persona's event list last told of a change to the user's inquiries on the template.
-- Events are hints, not evidence: until a listing that started after this confirms what changed, the
-- cached answer is not served as fresh.
alter table gate_check add column hinted_at timestamptz;
