-- Single-column check constraints of public's tables: a closed value set (col = any (array[…])) gives fixtures a value.
select c.relname::text as tbl, a.attname::text as col, pg_get_constraintdef(k.oid) as def
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
where k.contype = 'c' and n.nspname = 'public' and cardinality(k.conkey) = 1
order by c.relname, k.conname
