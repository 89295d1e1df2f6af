-- The statements pg_stat_statements recorded in this database, most total execution time first: only top-level
-- SELECTs (or WITH … SELECT), none on the catalogs, none run by the role reading (its own reads), none whose text the
-- role may not see. Placeholders filled in by TopStatements: {pgss} the view, {time} its time column
-- (total_exec_time from PostgreSQL 13, total_time before), {toplevel} the toplevel filter (PostgreSQL 14+).
-- Parameter: the limit. Rows: (queryid, query, calls, total_ms).
select s.queryid, s.query, s.calls, s.{time}::float8 as total_ms
  from {pgss} s
 where s.dbid = (select oid from pg_database where datname = current_database())
   and s.userid <> (select oid from pg_roles where rolname = current_user)
   {toplevel}
   and s.query !~ '^<insufficient privilege>'
   and s.query ~* '^\s*(\(\s*)*(select|with)\M'
   and s.query !~* '\m(insert|update|delete|merge)\M'
   and s.query !~* '\m(pg_catalog|information_schema)\s*\.'
   and s.query !~* '\m(from|join)\s+pg_\w+'
 order by s.{time} desc
 limit ?
