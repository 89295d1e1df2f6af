-- Tables of this database with at least {dead-tuples-min} dead rows making at least {dead-tuples-ratio} of their rows.
select format('%I.%I', s.schemaname, s.relname) as object, s.n_dead_tup as dead, s.n_live_tup as live,
       round(s.n_dead_tup::numeric / (s.n_live_tup + s.n_dead_tup), 3) as ratio,
       coalesce(to_char(greatest(s.last_autovacuum, s.last_vacuum), 'YYYY-MM-DD HH24:MI:SS TZ'), 'never') as vacuumed,
       -- reloptions keep the text given: autovacuum_enabled = off is stored as 'autovacuum_enabled=off'
       case when exists (select 1 from unnest(c.reloptions) o where o ~* '^autovacuum_enabled=(false|off|0|no)$')
                then '; autovacuum is disabled on this table'
            else '' end as autovacuum_off
  from pg_stat_user_tables s
  join pg_class c on c.oid = s.relid
 where s.n_dead_tup >= {dead-tuples-min}
   and s.n_dead_tup::numeric / (s.n_live_tup + s.n_dead_tup) >= {dead-tuples-ratio}
 order by s.n_dead_tup desc
