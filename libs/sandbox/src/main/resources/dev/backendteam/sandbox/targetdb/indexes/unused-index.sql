-- A valid index never scanned since the statistics were last reset (pg_stat_user_indexes.idx_scan = 0), neither
-- unique nor a primary key nor backing a constraint, nor the index that serves a foreign key: one whose leading key
-- columns are the foreign key's columns (a valid btree without predicate), when no better-ranked or older index also
-- covers them — without it every delete or key update of the referenced table scans this one (ON DELETE CASCADE
-- too); of two duplicates covering one foreign key, only the one duplicate-index drops is reported. Only meaningful
-- on a database with real traffic (a target, not a sandbox), and only for this server: a replica's scans are counted
-- on the replica. stats_reset: when this database's statistics were reset (null: never, since the server began).
select a.schema, a.index, a."table", a.qualified, pg_size_pretty(a.bytes) as size, a.bytes,
       coalesce(to_char(d.stats_reset, 'YYYY-MM-DD HH24:MI TZ'), 'the statistics began (never reset)') as since,
       d.stats_reset
  from ix a
  join pg_stat_user_indexes s on s.indexrelid = a.indexrelid
 cross join (select stats_reset from pg_stat_database where datname = current_database()) d
 where s.idx_scan = 0 and a.indisvalid
   and not a.indisunique and not a.indisprimary and not a.constraint_backed
   and not exists (
       select 1 from pg_constraint k
        where k.contype = 'f' and k.conrelid = a.indrelid
          and a.amname = 'btree' and a.pred = '' and a.indnkeyatts >= cardinality(k.conkey)
          and (select array_agg(c order by c) from unnest(a.keys[1:cardinality(k.conkey)]) c)
              = (select array_agg(c::int order by c) from unnest(k.conkey) c)
          and not exists (
              select 1 from ix b
               where b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid and b.indisvalid
                 and b.amname = 'btree' and b.pred = '' and b.indnkeyatts >= cardinality(k.conkey)
                 and (select array_agg(c order by c) from unnest(b.keys[1:cardinality(k.conkey)]) c)
                     = (select array_agg(c::int order by c) from unnest(k.conkey) c)
                 and (b.rank > a.rank or (b.rank = a.rank and b.indexrelid < a.indexrelid))))
 order by a.schema, a.index
