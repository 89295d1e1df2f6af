-- Estimated table bloat: the pages a table takes against the pages its live rows need — per row 24 bytes of header,
-- 4 of line pointer and the average widths pg_stats gives its columns, pages filled to its fillfactor. Tables never
-- analyzed (no pg_stats) are not estimated. Tables from {bloat-min-bytes} bytes with a ratio from {table-bloat-ratio}.
-- The live rows: n_live_tup once a vacuum or analyze set it since the statistics were reset (it follows the deletes
-- since), else pg_class.reltuples — pg_stat_reset() zeroes n_live_tup, which read every table as all bloat; a table
-- with reltuples <= 0 (never vacuumed nor analyzed, or empty then) is not estimated.
with t as (
    select format('%I.%I', s.schemaname, s.relname) as object, case when coalesce(s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze) is not null
                then s.n_live_tup else c.reltuples::bigint end as live,
           pg_relation_size(s.relid) as bytes, current_setting('block_size')::int as bs,
           coalesce((select substring(o from 'fillfactor=(\d+)')::int
                       from unnest(c.reloptions) o where o like 'fillfactor=%'), 100) as ff,
           (select sum(st.avg_width) from pg_stats st
             where st.schemaname = s.schemaname and st.tablename = s.relname) as width
      from pg_stat_user_tables s
      join pg_class c on c.oid = s.relid
     where c.relkind in ('r', 'm') and c.reltuples > 0
), e as (
    select *, ceil(live * (24 + 4 + width) / ((bs - 24) * ff / 100.0)) * bs as needed_bytes from t where width is not null
)
select object, pg_size_pretty(bytes) as size, live, round(width) as width, pg_size_pretty(needed_bytes::bigint) as needed,
       round(1 - needed_bytes / bytes, 2) as ratio
  from e
 where bytes >= {bloat-min-bytes} and 1 - needed_bytes / bytes >= {table-bloat-ratio}
 order by bytes - needed_bytes desc
