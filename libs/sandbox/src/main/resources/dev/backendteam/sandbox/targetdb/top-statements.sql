-- The statements pg_stat_statements recorded in this database, most total execution time first: only top-level
-- SELECTs (or WITH … SELECT) that read a relation (a FROM), none naming a catalog relation (pg_catalog.…,
-- information_schema.…, a pg_… name that is no function call: pg_stat_statements, pg_class, …), none whose text the
-- role may not see. {own}: none run by the role reading, for a reader that itself reads the application's tables
-- (query-optimizer samples them); the monitor reads only catalogs, so it counts every role's — the application may
-- be read with its own role — and its own queries are left out by the catalog filter (or, like current_setting,
-- read no relation). Placeholders filled in by TopStatements: {pgss} the view, {time} its time column
-- (total_exec_time from PostgreSQL 13, total_time before), {toplevel} the toplevel filter (PostgreSQL 14+).
-- Parameter: the limit. Rows: (queryid, query, calls, total_ms).
select s.queryid, s.query, s.calls, s.{time}::float8 as total_ms
  from {pgss} s
 where s.dbid = (select oid from pg_database where datname = current_database())
   {own}
   {toplevel}
   and s.query !~ '^<insufficient privilege>'
   and s.query ~* '^\s*(\(\s*)*(select|with)\M'
   and s.query !~* '\m(insert|update|delete|merge)\M'
   and s.query !~* '\m(pg_catalog|information_schema)\s*\.'
   and s.query !~* '\mpg_\w+\M(?!\s*\()'
   and s.query ~* '\mfrom\M'
 order by s.{time} desc
 limit ?
