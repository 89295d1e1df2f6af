-- Policies created without "to …": they apply to public, so to anon as well as to authenticated. The fix scopes the
-- policy to authenticated, and to anon too when the intent lets anon do what the policy allows.
with ctx as (select ?::jsonb as j),
pol as (
    select p.polname, p.polcmd, n.nspname, c.relname,
           j -> 'tables' -> (n.nspname || '.' || c.relname) -> 'anon' as anon,
           case p.polcmd when 'r' then '["select"]' when 'a' then '["insert"]' when 'w' then '["update"]'
                         when 'd' then '["delete"]' else '["select", "insert", "update", "delete"]' end::jsonb as needs
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join ctx
    where p.polroles = array[0::oid]
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
)
select nspname || '.' || relname || '.' || polname as object,
       polname as policy,
       nspname || '.' || relname as "table",
       format('alter policy %I on %I.%I to %s;', polname, nspname, relname,
              case when jsonb_typeof(anon) = 'array' and anon @> needs then 'anon, authenticated'
                   else 'authenticated' end) as fix_sql
from pol
order by 1
