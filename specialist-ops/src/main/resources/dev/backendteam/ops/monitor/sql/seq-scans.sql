-- Tables of this database with at least {seq-scan-min-rows} live rows, read in full at least {seq-scan-min-count}
-- times, whose scans are at least {seq-scan-share} sequential.
select format('%I.%I', schemaname, relname) as object, n_live_tup as live, seq_scan, seq_tup_read,
       coalesce(idx_scan, 0) as idx_scan, round(seq_scan::numeric / (seq_scan + coalesce(idx_scan, 0)), 2) as share
  from pg_stat_user_tables
 where n_live_tup >= {seq-scan-min-rows} and seq_scan >= {seq-scan-min-count}
   and seq_scan::numeric / (seq_scan + coalesce(idx_scan, 0)) >= {seq-scan-share}
 order by seq_tup_read desc
