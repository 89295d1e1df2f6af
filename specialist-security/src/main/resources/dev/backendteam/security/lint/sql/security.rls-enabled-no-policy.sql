-- Tables in an exposed schema with row level security on and not one policy. The intent says whether only
-- service_role (BYPASSRLS) is meant to reach the table: then this is correct (variant service-only).
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || c.relname as object,
       format('%I.%I', n.nspname, c.relname) as table_sql,
       case when coalesce((j -> 'tables' -> (n.nspname || '.' || c.relname) ->> 'serviceOnly')::boolean, false)
            then 'service-only' end as variant
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
cross join ctx
where c.relkind in ('r', 'p')
  and c.relrowsecurity
  and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
  and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
order by 1
