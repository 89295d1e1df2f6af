-- Functions and procedures in an exposed schema (not an extension's) with no search_path of their own: they resolve
-- unqualified names through the caller's search_path.
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as object,
       format('%s %I.%I(%s)', case p.prokind when 'p' then 'procedure' else 'function' end, n.nspname, p.proname,
              pg_get_function_identity_arguments(p.oid)) as routine_sql,
       case when p.prosecdef then 'security definer' else 'security invoker' end as security
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where p.prokind in ('f', 'p')
  and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
  and not exists (select 1 from unnest(p.proconfig) cfg where cfg like 'search\_path=%')
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by 1
