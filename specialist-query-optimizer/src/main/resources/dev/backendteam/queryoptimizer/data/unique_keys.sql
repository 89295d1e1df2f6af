-- Primary keys, unique constraints and unique indexes over plain columns (a partial or expression index has no
-- column list here: the inserts' ON CONFLICT DO NOTHING guards it). ? = the tables' oids as '{…}'.
select i.indrelid::bigint as table_oid, ic.relname::text as name, i.indisprimary as is_primary,
       array(select a.attname::text
             from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             order by k.ord) as columns
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
where i.indrelid = any (?::oid[])
  and i.indisunique
  and i.indpred is null
  and i.indexprs is null
order by i.indrelid, i.indisprimary desc, ic.relname
