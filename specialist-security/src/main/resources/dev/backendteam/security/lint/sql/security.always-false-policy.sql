-- Permissive policies whose every expression is false (using (false), with check (false)): permissive policies are
-- ORed, so such a policy allows nothing and denies nothing that RLS without it would not deny.
with ctx as (select ?::jsonb as j),
pol as (
    select p.polname, n.nspname, c.relname,
           pg_get_expr(p.polqual, p.polrelid) as q,
           pg_get_expr(p.polwithcheck, p.polrelid) as w
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where p.polpermissive
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
)
select nspname || '.' || relname || '.' || polname as object,
       polname as policy,
       nspname || '.' || relname as "table",
       concat_ws(' and ', case when q = 'false' then 'using (false)' end,
                 case when w = 'false' then 'with check (false)' end) as expression,
       format('drop policy %I on %I.%I;', polname, nspname, relname) as fix_sql
from pol
where coalesce(q, 'false') = 'false'
  and coalesce(w, 'false') = 'false'
  and (q is not null or w is not null)
order by 1
