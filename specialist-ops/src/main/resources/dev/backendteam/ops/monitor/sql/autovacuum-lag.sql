-- Tables whose dead rows passed autovacuum's trigger (autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor
-- × live rows) and that no vacuum (autovacuum's or a manual one) has run on for {autovacuum-lag-minutes} minutes — or
-- ever. A table never vacuumed with fewer than {dead-tuples-min} dead rows is informative only: a small new table
-- crosses the trigger long before autovacuum's next round. autovacuum_enabled is matched as PostgreSQL accepts it
-- (false, off, no, 0), since reloptions keep the text given.
select format('%I.%I', s.schemaname, s.relname) as object, s.n_dead_tup as dead,
       round(current_setting('autovacuum_vacuum_threshold')::numeric
             + current_setting('autovacuum_vacuum_scale_factor')::numeric * s.n_live_tup) as trigger,
       case when greatest(s.last_autovacuum, s.last_vacuum) is null then 'ever'
            else 'since ' || to_char(greatest(s.last_autovacuum, s.last_vacuum), 'YYYY-MM-DD HH24:MI:SS TZ') end
           as since,
       case when exists (select 1 from unnest(c.reloptions) o where o ~* '^autovacuum_enabled=(false|off|0|no)$')
                then ': autovacuum is disabled on this table'
            when not current_setting('autovacuum')::bool then ': autovacuum is off on the server' else '' end
           as autovacuum_off,
       case when greatest(s.last_autovacuum, s.last_vacuum) is null and s.n_dead_tup < {dead-tuples-min}
                then 'info' else 'warn' end as severity
  from pg_stat_user_tables s
  join pg_class c on c.oid = s.relid
 where s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::numeric
                      + current_setting('autovacuum_vacuum_scale_factor')::numeric * s.n_live_tup
   and (greatest(s.last_autovacuum, s.last_vacuum) is null
        or greatest(s.last_autovacuum, s.last_vacuum) < now() - make_interval(mins => {autovacuum-lag-minutes}))
 order by s.n_dead_tup desc
