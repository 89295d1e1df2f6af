-- Policies that let an API role write every row (using (true) / with check (true) on insert, update, delete or all),
-- and select policies that show every row to anon (using (true)) on a table whose intent does not let anon select
-- (variant anon-select). A policy only for service_role or another role outside the Data API is none of this rule's.
with ctx as (select ?::jsonb as j),
pol as (
    select p.polname, p.polcmd, n.nspname, c.relname,
           pg_get_expr(p.polqual, p.polrelid) as q,
           pg_get_expr(p.polwithcheck, p.polrelid) as w,
           0::oid = any(p.polroles) as to_public,
           (select r.oid from pg_roles r where r.rolname = 'anon') = any(p.polroles) as to_anon,
           (select r.oid from pg_roles r where r.rolname = 'authenticated') = any(p.polroles) as to_authenticated,
           j -> 'tables' -> (n.nspname || '.' || c.relname) as intent
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join ctx
    where p.polpermissive
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
)
select nspname || '.' || relname || '.' || polname as object,
       polname as policy,
       nspname || '.' || relname as "table",
       case polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete'
                   else 'select, insert, update and delete' end as action,
       case when to_public then 'public (anon and every signed-in user)'
            else concat_ws(' and ', case when to_anon then 'anon' end,
                           case when to_authenticated then 'authenticated' end) end as roles,
       concat_ws(' and ', case when q = 'true' then 'using (true)' end,
                 case when w = 'true' then 'with check (true)' end) as expression,
       case when polcmd = 'r' then 'anon-select' end as variant,
       case when polcmd = 'r' and (to_public or to_authenticated)
                 and (jsonb_typeof(intent -> 'authenticated') is distinct from 'array'
                      or intent -> 'authenticated' @> '"select"'::jsonb)
            then format('alter policy %I on %I.%I to authenticated;', polname, nspname, relname)
            else format('drop policy %I on %I.%I;', polname, nspname, relname) end as fix_sql
from pol
where (to_public or to_anon or to_authenticated)
  and ((polcmd in ('a', 'w', 'd', '*') and (q = 'true' or w = 'true'))
       or (polcmd = 'r' and q = 'true' and (to_public or to_anon)
           and jsonb_typeof(intent -> 'anon') = 'array'
           and not intent -> 'anon' @> '"select"'::jsonb))
order by 1
