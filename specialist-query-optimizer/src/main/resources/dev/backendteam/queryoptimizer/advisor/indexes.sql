-- Every index of the user's schemas, with its keys as the catalog deparses them (pg_get_indexdef per column, so
-- expressions read as the planner prints them), their directions, covering columns, predicate and size.
select n.nspname as schema, t.relname as "table", i.relname as name, am.amname as method,
       x.indisunique as is_unique, x.indisprimary as is_primary, x.indisvalid as is_valid,
       x.indnkeyatts as key_count,
       array(select pg_get_indexdef(x.indexrelid, k, true) from generate_series(1, x.indnatts) k order by k) as columns,
       array(select (x.indoption[k - 1] & 1) = 1 from generate_series(1, x.indnkeyatts) k order by k) as descending,
       pg_get_expr(x.indpred, x.indrelid, true) as predicate,
       -- an operator class, a collation or a NULLS order other than the default: it serves other queries than a
       -- plain index on the same keys, so it neither covers nor is replaced by one
       (exists (select 1 from unnest(x.indclass::oid[]) c join pg_opclass o on o.oid = c where not o.opcdefault)
        or exists (select 1 from unnest(x.indcollation::oid[]) c
                    where c <> 0 and c <> (select oid from pg_collation where collname = 'default'))
        or exists (select 1 from generate_series(1, x.indnkeyatts) k
                    where ((x.indoption[k - 1] & 2) = 2) <> ((x.indoption[k - 1] & 1) = 1))) as special,
       pg_relation_size(x.indexrelid) as bytes
  from pg_index x
  join pg_class i on i.oid = x.indexrelid
  join pg_class t on t.oid = x.indrelid
  join pg_namespace n on n.oid = t.relnamespace
  join pg_am am on am.oid = i.relam
 where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'auth', 'extensions', 'storage', 'realtime')
   and n.nspname not like 'pg_temp%'
 order by n.nspname, t.relname, i.relname
