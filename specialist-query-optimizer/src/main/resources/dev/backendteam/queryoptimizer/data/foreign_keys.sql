-- Foreign keys of the tables (? = their oids as '{…}'), single and composite, columns in key order.
select con.conrelid::bigint as table_oid, con.conname::text as name, pn.nspname::text as parent_schema,
       pc.relname::text as parent_table,
       array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
       array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as parent_columns
from pg_constraint con
join pg_class pc on pc.oid = con.confrelid
join pg_namespace pn on pn.oid = pc.relnamespace
where con.contype = 'f' and con.conrelid = any (?::oid[])
order by con.conrelid, con.conname
