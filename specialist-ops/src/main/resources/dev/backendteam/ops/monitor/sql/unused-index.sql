-- The shared rule (libs/sandbox targetdb/indexes/unused-index.sql: valid, never scanned since the statistics reset,
-- neither unique nor primary key nor backing a constraint nor the index a foreign key needs), from
-- {unused-index-min-bytes} bytes. Informative while the statistics are younger than {unused-index-min-stats-days}
-- days (pg_stat_database.stats_reset; null: never reset, as old as the server's statistics): too short a period to
-- tell an unused index from a rarely used one.
select qualified as object, "table", size, since,
       case when stats_reset > now() - make_interval(secs => {unused-index-min-stats-days} * 86400) then 'info'
            else 'warn' end as severity,
       case when stats_reset > now() - make_interval(secs => {unused-index-min-stats-days} * 86400)
                then ', a period too short to judge (from ' || {unused-index-min-stats-days} || ' days)'
            else '' end as young
  from shared where bytes >= {unused-index-min-bytes}
