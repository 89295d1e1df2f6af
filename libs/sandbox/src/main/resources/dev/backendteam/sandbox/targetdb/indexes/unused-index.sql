-- A valid index never scanned since the statistics were last reset (pg_stat_user_indexes.idx_scan = 0), neither
-- unique nor a primary key nor backing a constraint. Only meaningful on a database with real traffic (a target, not
-- a sandbox), and only for this server: a replica's scans are counted on the replica.
select a.schema, a.index, a."table", a.qualified, pg_size_pretty(a.bytes) as size, a.bytes,
       coalesce(to_char(d.stats_reset, 'YYYY-MM-DD HH24:MI TZ'), 'the statistics began (never reset)') as since
  from ix a
  join pg_stat_user_indexes s on s.indexrelid = a.indexrelid
 cross join (select stats_reset from pg_stat_database where datname = current_database()) d
 where s.idx_scan = 0 and a.indisvalid
   and not a.indisunique and not a.indisprimary and not a.constraint_backed
 order by a.schema, a.index
