-- Since when pg_stat_statements counts: its last reset (pg_stat_statements_info, PostgreSQL 14+, placeholder {info})
-- or else the server's start. Rows: (since, minutes).
select since, greatest(extract(epoch from now() - since) / 60, 1.0 / 60)::float8 as minutes
  from (select coalesce({info}, pg_postmaster_start_time()) as since) s
