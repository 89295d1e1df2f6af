-- The foreign keys of the exposed schema's tables: columns, referenced table and columns, in key order.
select c.relname as rel,
       k.conname as name,
       (select string_agg(a.attname, ',' order by u.o) from unnest(k.conkey) with ordinality as u(num, o)
          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num) as cols,
       rn.nspname as ref_schema,
       rc.relname as ref_table,
       (select string_agg(a.attname, ',' order by u.o) from unnest(k.confkey) with ordinality as u(num, o)
          join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num) as ref_cols
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_class rc on rc.oid = k.confrelid
join pg_namespace rn on rn.oid = rc.relnamespace
where k.contype = 'f' and n.nspname = 'public'
order by c.relname, k.conname
