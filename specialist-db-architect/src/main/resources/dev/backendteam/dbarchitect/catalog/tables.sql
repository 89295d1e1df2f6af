-- The user's tables: every ordinary or partitioned table outside the system schemas and the sandbox's shims.
select n.nspname || '.' || c.relname as tbl
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and n.nspname not in ('information_schema', 'auth', 'extensions')
  and n.nspname not like 'pg\_%'
order by 1
