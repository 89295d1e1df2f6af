-- Client sessions of this database (never the monitor's own) running one statement, or holding a transaction open
-- while idle, for {long-query-seconds} seconds or more.
select 'pid ' || a.pid as object, a.pid, a.usename, coalesce(nullif(a.application_name, ''), 'no application name')
           as application, a.state,
       floor(extract(epoch from now() - case when a.state = 'active' then a.query_start else a.xact_start end))
           as seconds,
       left(regexp_replace(a.query, '\s+', ' ', 'g'), 300) as query
  from pg_stat_activity a
 where a.datname = current_database() and a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
   and a.state in ('active', 'idle in transaction', 'idle in transaction (aborted)', 'fastpath function call')
   and now() - case when a.state = 'active' then a.query_start else a.xact_start end
       >= make_interval(secs => {long-query-seconds})
 order by seconds desc
