-- Security definer functions and procedures in an exposed schema that anon or authenticated may execute: the Data
-- API calls them (/rest/v1/rpc/<name>) and they run as their owner. Trigger functions cannot be called that way.
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as object,
       format('%s %I.%I(%s)', case p.prokind when 'p' then 'procedure' else 'function' end, n.nspname, p.proname,
              pg_get_function_identity_arguments(p.oid)) as routine_sql,
       pg_get_userbyid(p.proowner) as owner,
       concat_ws(' and ', case when has_function_privilege('anon', p.oid, 'EXECUTE') then 'anon' end,
                 case when has_function_privilege('authenticated', p.oid, 'EXECUTE') then 'authenticated' end) as roles,
       case when exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                         where a.grantee = 0 and a.privilege_type = 'EXECUTE')
            then ', through PUBLIC' else '' end as via
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where p.prokind in ('f', 'p')
  and p.prosecdef
  and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
  and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
  and (has_function_privilege('anon', p.oid, 'EXECUTE') or has_function_privilege('authenticated', p.oid, 'EXECUTE'))
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by 1
