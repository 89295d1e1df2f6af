-- The check constraints of the exposed schema's tables, as PostgreSQL prints them.
select c.relname as rel, pg_get_constraintdef(k.oid) as definition
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
where k.contype = 'c' and n.nspname = 'public'
order by c.relname, k.conname
