-- The views of the exposed schema: options (security_invoker), the relations they read, whether they read
-- auth.users, and who may select from them.
select c.relname as name,
       coalesce(array_to_string(c.reloptions, ','), '') as options,
       exists (select 1 from pg_rewrite r
               join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
               join pg_class rc on rc.oid = d.refobjid
               join pg_namespace rn on rn.oid = rc.relnamespace
               where r.ev_class = c.oid and rn.nspname = 'auth' and rc.relname = 'users') as reads_auth_users,
       coalesce((select string_agg(distinct rn.nspname || '.' || rc.relname, ',')
                 from pg_rewrite r
                 join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
                 join pg_class rc on rc.oid = d.refobjid
                 join pg_namespace rn on rn.oid = rc.relnamespace
                 where r.ev_class = c.oid and rc.oid <> c.oid and rc.relkind in ('r', 'p', 'v', 'm')), '') as reads
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('v', 'm') and n.nspname = 'public'
order by c.relname
