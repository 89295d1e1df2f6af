-- Tables whose dead rows passed autovacuum's trigger (autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor
-- × live rows) and that autovacuum has not vacuumed for {autovacuum-lag-minutes} minutes — or ever.
select format('%I.%I', s.schemaname, s.relname) as object, s.n_dead_tup as dead,
       round(current_setting('autovacuum_vacuum_threshold')::numeric
             + current_setting('autovacuum_vacuum_scale_factor')::numeric * s.n_live_tup) as trigger,
       case when s.last_autovacuum is null then 'ever'
            else 'since ' || to_char(s.last_autovacuum, 'YYYY-MM-DD HH24:MI:SS TZ') end as since,
       case when c.reloptions @> array['autovacuum_enabled=false'] then ': autovacuum is disabled on this table'
            when not current_setting('autovacuum')::bool then ': autovacuum is off on the server' else '' end
           as autovacuum_off
  from pg_stat_user_tables s
  join pg_class c on c.oid = s.relid
 where s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::numeric
                      + current_setting('autovacuum_vacuum_scale_factor')::numeric * s.n_live_tup
   and (s.last_autovacuum is null or s.last_autovacuum < now() - make_interval(mins => {autovacuum-lag-minutes}))
 order by s.n_dead_tup desc
