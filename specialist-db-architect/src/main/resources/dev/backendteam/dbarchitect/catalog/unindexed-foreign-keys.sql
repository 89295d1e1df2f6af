-- Foreign keys whose columns lead no (non-partial) index, in any order among the leading columns.
select n.nspname || '.' || c.relname as tbl,
       n.nspname || '.' || c.relname || ' ('
         || (select string_agg(a.attname, ', ' order by x.ord)
             from unnest(k.conkey) with ordinality as x(attnum, ord)
             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum)
         || ') references ' || k.confrelid::regclass::text as item
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
where k.contype = 'f'
  and n.nspname not in ('information_schema', 'auth', 'extensions')
  and n.nspname not like 'pg\_%'
  and not exists (
    select 1
    from pg_index i
    where i.indrelid = k.conrelid
      and i.indpred is null
      and (select array_agg(u.col order by u.ord)
           from unnest(i.indkey::int2[]) with ordinality as u(col, ord)
           where u.ord <= cardinality(k.conkey)) @> k.conkey
      and (select array_agg(u.col order by u.ord)
           from unnest(i.indkey::int2[]) with ordinality as u(col, ord)
           where u.ord <= cardinality(k.conkey)) <@ k.conkey)
order by 1, 2
