-- The operator API's allowance in the Persona request budget, as two more kinds of bucket in
-- persona_budget: each operator's (reference_id = the token's subject, template_id = 'operator'), and
-- the share of all operators together (reference_id = '', template_id = 'operator'). No template id of
-- Persona is 'operator' (they start itmpl_ or tmpl_), so these never meet a user's buckets.

-- Takes one permit for one request an operator asked for: from the operator's bucket and the
-- operators' share, then as persona_permit does (the user's buckets when the request is for a user,
-- and the environment's); or takes nothing and says which bucket refused and when it will have a
-- permit again. The operators' buckets are never drawn below zero.
create function persona_operator_permit(
    operator text, ref text, template text,
    capacity double precision, per_second double precision, max_wait double precision,
    user_capacity double precision, user_per_second double precision,
    share_capacity double precision, share_per_second double precision,
    operator_capacity double precision, operator_per_second double precision,
    operators_capacity double precision, operators_per_second double precision,
    out granted boolean, out limited_by text, out wait_seconds double precision)
    language plpgsql
as $$
declare
    now_at          timestamptz := clock_timestamp();
    operator_tokens double precision;
    shared_tokens   double precision;
begin
    insert into persona_budget values ('', 'operator', operators_capacity, now_at) on conflict do nothing;
    select least(operators_capacity, b.tokens + extract(epoch from now_at - b.updated_at) * operators_per_second)
      into shared_tokens
      from persona_budget b where b.reference_id = '' and b.template_id = 'operator' for update;
    select least(operator_capacity, b.tokens + extract(epoch from now_at - b.updated_at) * operator_per_second)
      into operator_tokens
      from persona_budget b where b.reference_id = operator and b.template_id = 'operator' for update;
    operator_tokens := coalesce(operator_tokens, operator_capacity);
    if operator_tokens < 1 then
        granted := false; limited_by := 'operator'; wait_seconds := (1 - operator_tokens) / operator_per_second;
        return;
    end if;
    if shared_tokens < 1 then
        granted := false; limited_by := 'operators'; wait_seconds := (1 - shared_tokens) / operators_per_second;
        return;
    end if;
    select p.granted, p.limited_by, p.wait_seconds into granted, limited_by, wait_seconds
      from persona_permit(ref, template, capacity, per_second, max_wait, user_capacity, user_per_second,
                          share_capacity, share_per_second) p;
    if not granted then
        return;
    end if;
    update persona_budget set tokens = shared_tokens - 1, updated_at = now_at
     where reference_id = '' and template_id = 'operator';
    insert into persona_budget values (operator, 'operator', operator_tokens - 1, now_at)
        on conflict (reference_id, template_id)
        do update set tokens = excluded.tokens, updated_at = excluded.updated_at;
end
$$;
