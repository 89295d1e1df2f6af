-- Tables in an exposed schema with row level security off, with or without policies (a table with policies also
-- gets security.policy-exists-rls-disabled: its policies are dead). reach: what anon and authenticated may do today.
with ctx as (select ?::jsonb as j),
tbl as (
    select c.oid, n.nspname, c.relname
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and not c.relrowsecurity
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
      and not exists (select 1 from pg_depend d
                      where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)
select t.nspname || '.' || t.relname as object,
       format('%I.%I', t.nspname, t.relname) as table_sql,
       r.reach,
       case when r.reach is null then 'ungranted' end as variant
from tbl t
cross join lateral (
    select string_agg(role || ' may ' || privs, '; ' order by role) as reach
    from (select role.name as role,
                 string_agg(priv, ', ' order by ord) as privs
          from unnest(array['anon', 'authenticated']) as role(name)
          cross join unnest(array['select', 'insert', 'update', 'delete']) with ordinality as x(priv, ord)
          where case when priv = 'delete' then has_table_privilege(role.name, t.oid, priv)
                     else has_any_column_privilege(role.name, t.oid, priv) end
          group by role.name) held
) r
order by 1
