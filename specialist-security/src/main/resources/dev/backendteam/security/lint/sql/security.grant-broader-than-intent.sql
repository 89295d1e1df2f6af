-- Table privileges anon or authenticated hold beyond what the intent gives them, for tables whose intent is known.
-- The intent speaks of select, insert, update and delete; truncate, references and trigger are never meant for an API
-- role (truncate ignores RLS). A privilege held through PUBLIC is revoked from public and granted again to
-- service_role and to the other API role when its intent (or the lack of one) keeps it.
with ctx as (select ?::jsonb as j),
held as (
    select c.oid, n.nspname, c.relname, role.name as role, x.priv, x.ord,
           j -> 'tables' -> (n.nspname || '.' || c.relname) as intent,
           exists (select 1 from aclexplode(c.relacl) a
                   where a.grantee = 0 and a.privilege_type = upper(x.priv)) as via_public
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    cross join ctx
    cross join unnest(array['anon', 'authenticated']) as role(name)
    cross join unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger'])
               with ordinality as x(priv, ord)
    where c.relkind in ('r', 'p')
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
      and jsonb_typeof(j -> 'tables' -> (n.nspname || '.' || c.relname) -> role.name) = 'array'
      and case when x.priv in ('select', 'insert', 'update', 'references')
               then has_any_column_privilege(role.name, c.oid, x.priv)
               else has_table_privilege(role.name, c.oid, x.priv) end
      and not j -> 'tables' -> (n.nspname || '.' || c.relname) -> role.name @> to_jsonb(x.priv)
),
grouped as (
    select nspname, relname, role,
           min(intent::text)::jsonb as intent,
           string_agg(priv, ', ' order by ord) as privs,
           string_agg(priv, ', ' order by ord) filter (where via_public) as public_privs,
           case role when 'anon' then 'authenticated' else 'anon' end as other
    from held
    group by nspname, relname, role
)
select nspname || '.' || relname as object,
       nspname || '.' || relname as "table",
       role, privs as privileges,
       coalesce((select string_agg(p, ', ') from jsonb_array_elements_text(intent -> role) p), 'nothing') as intended,
       format('revoke %s on table %I.%I from %I;', privs, nspname, relname, role)
           || case when public_privs is null then ''
                   else format(' revoke %s on table %I.%I from public;', public_privs, nspname, relname)
                        || format(' grant %s on table %I.%I to service_role;', public_privs, nspname, relname)
                        || coalesce((select format(' grant %s on table %I.%I to %I;', string_agg(p, ', '),
                                                   nspname, relname, other)
                                     from unnest(string_to_array(public_privs, ', ')) p
                                     where jsonb_typeof(intent -> other) is distinct from 'array'
                                        or intent -> other @> to_jsonb(p)
                                     having count(*) > 0), '') end as fix_sql
from grouped
order by 1, 3
