-- Tables in an exposed schema that have policies while row level security is off: PostgreSQL ignores the policies.
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || c.relname as object,
       format('%I.%I', n.nspname, c.relname) as table_sql,
       string_agg(p.polname, ', ' order by p.polname) as policies
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_policy p on p.polrelid = c.oid
where c.relkind in ('r', 'p')
  and not c.relrowsecurity
  and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
group by n.nspname, c.relname
order by 1
