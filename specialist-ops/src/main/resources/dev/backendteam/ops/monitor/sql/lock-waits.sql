-- Sessions of this database waiting for a lock another session holds (pg_blocking_pids) for {lock-wait-seconds}
-- seconds or more, with their blockers — only those of this database.
select 'pid ' || a.pid as object, a.pid, a.usename, coalesce(a.wait_event, 'lock') as lock,
       floor(extract(epoch from now() - coalesce(
           (select min(l.waitstart) from pg_locks l where l.pid = a.pid and not l.granted), a.query_start)))
           as seconds,
       left(regexp_replace(a.query, '\s+', ' ', 'g'), 300) as query,
       -- the blockers' pids apart from their state and query text, whose literals TargetDiagnostics replaces
       coalesce((select string_agg('pid ' || b.pid, ', ' order by b.pid) from pg_stat_activity b
                  where b.pid = any (pg_blocking_pids(a.pid)) and b.datname = current_database()),
                'a session of another database') as blocker_pids,
       coalesce((select string_agg(b.state || ': ' || left(regexp_replace(b.query, '\s+', ' ', 'g'), 120), '; '
                                   order by b.pid)
                   from pg_stat_activity b
                  where b.pid = any (pg_blocking_pids(a.pid)) and b.datname = current_database()),
                'not readable') as blockers
  from pg_stat_activity a
 where a.datname = current_database() and a.pid <> pg_backend_pid() and cardinality(pg_blocking_pids(a.pid)) > 0
   and now() - coalesce((select min(l.waitstart) from pg_locks l where l.pid = a.pid and not l.granted),
                        a.query_start) >= make_interval(secs => {lock-wait-seconds})
 order by seconds desc
