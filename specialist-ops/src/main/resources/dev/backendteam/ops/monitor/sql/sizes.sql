-- The {sizes-top} largest tables of this database: in total, heap, indexes and TOAST, with their live rows.
select format('%I.%I', s.schemaname, s.relname) as object, pg_size_pretty(pg_total_relation_size(s.relid)) as total,
       pg_size_pretty(pg_relation_size(s.relid)) as table_size, pg_size_pretty(pg_indexes_size(s.relid)) as index_size,
       pg_size_pretty(coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)) as toast_size,
       s.n_live_tup as live
  from pg_stat_user_tables s
  join pg_class c on c.oid = s.relid
 order by pg_total_relation_size(s.relid) desc
 limit {sizes-top}
