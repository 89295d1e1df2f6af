-- The column sets of public's unique indexes (keys and unique constraints included), names sorted: a membership
-- table is unique on (tenant, user).
select c.relname::text as tbl, string_agg(a.attname::text, ',' order by a.attname) as cols
from pg_index i
join pg_class c on c.oid = i.indrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum = any (i.indkey)
where n.nspname = 'public' and i.indisunique and i.indpred is null and i.indexprs is null
group by i.indexrelid, c.relname
order by 1, 2
