-- The tables to fill: ordinary and partitioned tables (not their partitions) of public and of every other schema the
-- runner created, except the generator's own helper schema; auth.users too, as the owner every user table refers to.
select c.oid::bigint as oid, n.nspname as schema, c.relname as name
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relispartition
  and n.nspname <> 'qo_gen'
  and (n.nspname = 'public'
       or (n.nspname = 'auth' and c.relname = 'users')
       or (n.nspowner = (select oid from pg_roles where rolname = current_user)
           and n.nspname not like 'pg\_%' and n.nspname not in ('information_schema', 'extensions', 'auth')))
order by n.nspname, c.relname
