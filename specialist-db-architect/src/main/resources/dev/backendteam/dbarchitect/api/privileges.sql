-- The Data API privileges each API role holds on each relation of the exposed schema (direct, PUBLIC, membership;
-- a column grant counts for select, insert and update, as PostgREST can use it; table_select: select on the whole
-- table, every column).
select c.relname as rel, r.role, p.privilege
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
cross join (values ('anon'), ('authenticated'), ('service_role')) as r(role)
cross join (values ('select'), ('insert'), ('update'), ('delete'), ('table_select')) as p(privilege)
where c.relkind in ('r', 'p', 'v', 'm') and n.nspname = 'public'
  and case when p.privilege = 'delete' then has_table_privilege(r.role, c.oid, 'DELETE')
           when p.privilege = 'table_select' then has_table_privilege(r.role, c.oid, 'SELECT')
           else has_any_column_privilege(r.role, c.oid, p.privilege) end
order by 1, 2, 3
