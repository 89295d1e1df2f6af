-- Share of block reads served from shared buffers, for this database's tables and for its indexes, since the
-- statistics were reset (pg_statio_user_*: this database only). Rows only where enough blocks were read
-- ({cache-hit-min-blocks}) to judge; info at or above {cache-hit-ratio}, warn below.
select current_database() || ' ' || kind as object, round(hits::numeric / (hits + reads), 4) as ratio,
       hits + reads as total, reads,
       case when hits::numeric / (hits + reads) < {cache-hit-ratio} then 'warn' else 'info' end as severity
  from (select 'tables' as kind, coalesce(sum(heap_blks_hit), 0) as hits, coalesce(sum(heap_blks_read), 0) as reads
          from pg_statio_user_tables
        union all
        select 'indexes', coalesce(sum(idx_blks_hit), 0), coalesce(sum(idx_blks_read), 0)
          from pg_statio_user_indexes) s
 where hits + reads >= {cache-hit-min-blocks}
 order by kind desc
