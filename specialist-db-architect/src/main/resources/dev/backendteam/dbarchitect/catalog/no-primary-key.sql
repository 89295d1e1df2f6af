-- Tables without a primary key.
select n.nspname || '.' || c.relname as tbl,
       n.nspname || '.' || c.relname as item
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and n.nspname not in ('information_schema', 'auth', 'extensions')
  and n.nspname not like 'pg\_%'
  and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
order by 1
