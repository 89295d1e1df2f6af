-- Views in an exposed schema without security_invoker (PostgreSQL 15+) that anon or authenticated may select: they
-- read their tables with the view owner's privileges, past the caller's grants and RLS policies.
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || v.relname as object,
       format('%I.%I', n.nspname, v.relname) as view_sql,
       pg_get_userbyid(v.relowner) as owner,
       concat_ws(' and ', case when has_table_privilege('anon', v.oid, 'SELECT') then 'anon' end,
                 case when has_table_privilege('authenticated', v.oid, 'SELECT') then 'authenticated' end) as roles
from pg_class v
join pg_namespace n on n.oid = v.relnamespace
where v.relkind = 'v'
  and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
  and (has_table_privilege('anon', v.oid, 'SELECT') or has_table_privilege('authenticated', v.oid, 'SELECT'))
  and not exists (select 1 from pg_options_to_table(v.reloptions) o
                  where o.option_name = 'security_invoker'
                    and lower(o.option_value) ~ '^(t|tr|tru|true|y|ye|yes|on|1)$')
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_class'::regclass and d.objid = v.oid and d.deptype = 'e')
order by 1
