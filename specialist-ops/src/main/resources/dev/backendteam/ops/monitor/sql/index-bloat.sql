-- Estimated btree bloat: the pages an index takes against what its entries need — 8 bytes of tuple header, 4 of line
-- pointer and the key columns' average widths (pg_stats), rounded up to 8, pages 90 % full. B-trees on plain columns
-- without a predicate only. Indexes from {bloat-min-bytes} bytes with a ratio from {index-bloat-ratio}. The entries
-- are the table's live rows as table-bloat.sql counts them: n_live_tup once a vacuum or analyze set it since the
-- statistics reset, else pg_class.reltuples (pg_stat_reset() zeroes n_live_tup); reltuples <= 0: not estimated.
with i as (
    select format('%I.%I', s.schemaname, s.indexrelname) as object, format('%I.%I', s.schemaname, s.relname) as "table",
           case when coalesce(t.last_vacuum, t.last_autovacuum, t.last_analyze, t.last_autoanalyze) is not null
                then t.n_live_tup else tc.reltuples::bigint end as live, pg_relation_size(s.indexrelid) as bytes, current_setting('block_size')::int as bs,
           (select sum(st.avg_width) from pg_attribute a
              join pg_stats st on st.schemaname = s.schemaname and st.tablename = s.relname and st.attname = a.attname
             where a.attrelid = s.relid and a.attnum = any (x.indkey)) as width,
           (select count(*) from pg_stats st join pg_attribute a on a.attrelid = s.relid and a.attname = st.attname
             where st.schemaname = s.schemaname and st.tablename = s.relname and a.attnum = any (x.indkey))
               = x.indnkeyatts as analyzed
      from pg_stat_user_indexes s
      join pg_index x on x.indexrelid = s.indexrelid
      join pg_class c on c.oid = s.indexrelid
      join pg_am am on am.oid = c.relam
      join pg_stat_user_tables t on t.relid = s.relid
      join pg_class tc on tc.oid = s.relid
     where tc.reltuples > 0 and am.amname = 'btree' and x.indexprs is null and x.indpred is null and x.indnatts = x.indnkeyatts
), e as (
    select *, (ceil(live * (8 + 4 + ceil(width / 8.0) * 8) / ((bs - 24 - 16) * 0.9)) + 1) * bs as needed_bytes
      from i where analyzed
)
select object, "table", pg_size_pretty(bytes) as size, live, round(width) as width,
       pg_size_pretty(needed_bytes::bigint) as needed, round(1 - needed_bytes / bytes, 2) as ratio
  from e
 where bytes >= {bloat-min-bytes} and 1 - needed_bytes / bytes >= {index-bloat-ratio}
 order by bytes - needed_bytes desc
