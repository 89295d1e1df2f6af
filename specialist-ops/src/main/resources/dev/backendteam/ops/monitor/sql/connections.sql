-- Client connections on the server (counts only) against max_connections less the reserved ones, and this
-- database's sessions by state. One row; warn from {connection-usage-ratio}.
with used as (
    select count(*) as used from pg_stat_activity where backend_type = 'client backend'
), cap as (
    select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
           - coalesce(current_setting('reserved_connections', true)::int, 0) as available
), mine as (
    select coalesce(string_agg(state || ' ' || n, ', ' order by n desc, state), 'none') as by_state
      from (select coalesce(state, 'unknown') as state, count(*) as n from pg_stat_activity
             where datname = current_database() and backend_type = 'client backend' group by 1) s
)
select current_database() || ' server connections' as object, used, available,
       round(used::numeric / available, 3) as ratio, by_state,
       case when used::numeric / available >= {connection-usage-ratio} then 'warn' else 'info' end as severity
  from used, cap, mine
