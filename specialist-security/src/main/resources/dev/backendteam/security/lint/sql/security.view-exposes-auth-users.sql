-- Views and materialized views in an exposed schema that anon or authenticated may select and that read auth.users,
-- directly or through other views (followed through pg_rewrite's dependencies). A security invoker view counts only
-- when the API roles may read auth.users themselves; otherwise it fails for them instead of exposing it.
with recursive ctx as (select ?::jsonb as j),
reads (oid, via) as (
    select v.oid, 'auth.users'::text
    from pg_depend d
    join pg_rewrite rw on rw.oid = d.objid
    join pg_class v on v.oid = rw.ev_class
    where d.classid = 'pg_rewrite'::regclass
      and d.refclassid = 'pg_class'::regclass
      and d.refobjid = to_regclass('auth.users')
      and v.oid <> d.refobjid
    union
    select v.oid, (n.nspname || '.' || inner_view.relname) collate "default"
    from reads
    join pg_class inner_view on inner_view.oid = reads.oid
    join pg_namespace n on n.oid = inner_view.relnamespace
    join pg_depend d on d.refobjid = reads.oid and d.classid = 'pg_rewrite'::regclass
                    and d.refclassid = 'pg_class'::regclass
    join pg_rewrite rw on rw.oid = d.objid
    join pg_class v on v.oid = rw.ev_class
    where v.oid <> reads.oid
)
select n.nspname || '.' || v.relname as object,
       format('%I.%I', n.nspname, v.relname) as view_sql,
       case v.relkind when 'm' then 'materialized view' else 'view' end as kind,
       string_agg(distinct reads.via, ', ') as via,
       concat_ws(' and ', case when has_table_privilege('anon', v.oid, 'SELECT') then 'anon' end,
                 case when has_table_privilege('authenticated', v.oid, 'SELECT') then 'authenticated' end) as roles
from reads
join pg_class v on v.oid = reads.oid
join pg_namespace n on n.oid = v.relnamespace
where v.relkind in ('v', 'm')
  and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
  and (has_table_privilege('anon', v.oid, 'SELECT') or has_table_privilege('authenticated', v.oid, 'SELECT'))
  and (v.relkind = 'm'
       or not exists (select 1 from pg_options_to_table(v.reloptions) o
                      where o.option_name = 'security_invoker'
                        and lower(o.option_value) ~ '^(t|tr|tru|true|y|ye|yes|on|1)$')
       or has_table_privilege('anon', to_regclass('auth.users'), 'SELECT')
       or has_table_privilege('authenticated', to_regclass('auth.users'), 'SELECT'))
group by n.nspname, v.relname, v.relkind, v.oid
order by 1
