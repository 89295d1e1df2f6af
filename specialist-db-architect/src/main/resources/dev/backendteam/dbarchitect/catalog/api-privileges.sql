-- The Data API privileges each API role holds on each user table, as PostgreSQL decides them (direct grants, PUBLIC,
-- role membership): what a request as that role may attempt before row-level security. A column-level grant counts
-- (PostgREST can use it); DELETE has no column level.
select n.nspname || '.' || c.relname as tbl, r.role, p.privilege
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
cross join (values ('anon'), ('authenticated'), ('service_role')) as r(role)
cross join (values ('select'), ('insert'), ('update'), ('delete')) as p(privilege)
where c.relkind in ('r', 'p')
  and n.nspname not in ('information_schema', 'auth', 'extensions')
  and n.nspname not like 'pg\_%'
  and case when p.privilege = 'delete' then has_table_privilege(r.role, c.oid, 'DELETE')
           else has_any_column_privilege(r.role, c.oid, p.privilege) end
order by 1, 2, 3
