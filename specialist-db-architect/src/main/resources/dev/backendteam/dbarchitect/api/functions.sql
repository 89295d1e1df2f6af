-- The functions a client could call or that run with someone else's rights: every function outside PostgreSQL's
-- and Supabase's own schemas and outside extensions, that is no trigger function: its arguments, result, security,
-- search_path and who may execute it.
select n.nspname as schema_name,
       p.proname as name,
       pg_get_function_identity_arguments(p.oid) as identity_args,
       coalesce(array_to_string(p.proargnames, ','), '') as arg_names,
       coalesce(array_to_string(p.proargmodes, ','), '') as arg_modes,
       coalesce((select string_agg(format_type(u.t, null), ',' order by u.o)
                 from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as u(t, o)), '') as arg_types,
       p.pronargdefaults as n_defaults,
       pg_get_function_result(p.oid) as result,
       p.proretset as returns_set,
       format_type(p.prorettype, null) as return_type,
       (select rn.nspname || '.' || rc.relname from pg_class rc join pg_namespace rn on rn.oid = rc.relnamespace
         where rc.oid = rt.typrelid) as return_relation,
       p.prosecdef as definer,
       coalesce(array_to_string(p.proconfig, ','), '') as config,
       l.lanname as language,
       has_function_privilege('anon', p.oid, 'EXECUTE') as anon_execute,
       has_function_privilege('authenticated', p.oid, 'EXECUTE') as authenticated_execute,
       has_function_privilege('service_role', p.oid, 'EXECUTE') as service_role_execute
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_language l on l.oid = p.prolang
join pg_type rt on rt.oid = p.prorettype
where p.prokind = 'f'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'graphql',
                        'graphql_public', 'vault', 'pgsodium', 'pgbouncer', 'supabase_functions')
  and n.nspname not like 'pg\_%'
  and rt.typname not in ('trigger', 'event_trigger', 'internal')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                  and d.deptype = 'e')
order by n.nspname, p.proname, 3
