-- The Persona request budget shared by every instance, as token buckets: the environment's
-- (reference_id = '' and template_id = ''), each user's share of it (template_id = ''), and each
-- user's allowance per template. A bucket holds `tokens` as of `updated_at`; it refills with time.
create table persona_budget (
    reference_id text             not null,
    template_id  text             not null,
    tokens       double precision not null,
    updated_at   timestamptz      not null,
    primary key (reference_id, template_id)
);

-- Takes one permit for one request to Persona, atomically from the environment's bucket and,
-- when the request is for a user, from that user's two buckets; or takes nothing and says which
-- bucket refused and when it will have a permit again. The environment's bucket may be drawn
-- below zero by up to max_wait of refill: the caller then waits wait_seconds before sending.
-- A user's buckets are never drawn below zero.
create function persona_permit(
    ref text, template text,
    capacity double precision, per_second double precision, max_wait double precision,
    user_capacity double precision, user_per_second double precision,
    share_capacity double precision, share_per_second double precision,
    out granted boolean, out limited_by text, out wait_seconds double precision)
    language plpgsql
as $$
declare
    now_at       timestamptz := clock_timestamp();
    budget       double precision;
    user_tokens  double precision;
    share_tokens double precision;
begin
    insert into persona_budget values ('', '', capacity, now_at) on conflict do nothing;
    select least(capacity, b.tokens + extract(epoch from now_at - b.updated_at) * per_second)
      into budget
      from persona_budget b where b.reference_id = '' and b.template_id = '' for update;
    if ref is not null then
        select least(share_capacity, b.tokens + extract(epoch from now_at - b.updated_at) * share_per_second)
          into share_tokens
          from persona_budget b where b.reference_id = ref and b.template_id = '' for update;
        share_tokens := coalesce(share_tokens, share_capacity);
        select least(user_capacity, b.tokens + extract(epoch from now_at - b.updated_at) * user_per_second)
          into user_tokens
          from persona_budget b where b.reference_id = ref and b.template_id = template for update;
        user_tokens := coalesce(user_tokens, user_capacity);
        if user_tokens < 1 then
            granted := false; limited_by := 'user'; wait_seconds := (1 - user_tokens) / user_per_second;
            return;
        end if;
        if share_tokens < 1 then
            granted := false; limited_by := 'share'; wait_seconds := (1 - share_tokens) / share_per_second;
            return;
        end if;
    end if;
    if budget - 1 < -per_second * max_wait then
        granted := false; limited_by := 'budget'; wait_seconds := (1 - budget) / per_second;
        return;
    end if;
    update persona_budget set tokens = budget - 1, updated_at = now_at
     where reference_id = '' and template_id = '';
    if ref is not null then
        insert into persona_budget values (ref, '', share_tokens - 1, now_at), (ref, template, user_tokens - 1, now_at)
            on conflict (reference_id, template_id)
            do update set tokens = excluded.tokens, updated_at = excluded.updated_at;
    end if;
    granted := true; limited_by := null; wait_seconds := greatest(0, (1 - budget) / per_second);
end
$$;
