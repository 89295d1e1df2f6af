-- Single-column foreign keys of public's tables: the hops from a channel's scope to its tenant and membership.
select c.relname::text as tbl, a.attname::text as col, fn.nspname::text as ref_schema, fc.relname::text as ref_tbl,
       fa.attname::text as ref_col
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_class fc on fc.oid = k.confrelid
join pg_namespace fn on fn.oid = fc.relnamespace
join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
join pg_attribute fa on fa.attrelid = k.confrelid and fa.attnum = k.confkey[1]
where k.contype = 'f' and n.nspname = 'public' and cardinality(k.conkey) = 1
order by c.relname, a.attnum
