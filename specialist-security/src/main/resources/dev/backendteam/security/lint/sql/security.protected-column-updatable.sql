-- Owner and tenant columns (the intent's protected columns) that anon or authenticated may update: the role holds
-- UPDATE on the column and either RLS is off, or a permissive update policy (for update or for all) applies to the
-- role whose check on the new row (WITH CHECK, or USING when it has none) never mentions the column, and no
-- restrictive update policy's check does. "Mentions" is read from pg_get_expr: the column unqualified or qualified
-- with the table's own name (a subquery's m.user_id is another table's column). The fix takes UPDATE on the
-- protected columns away and keeps it on the others.
with ctx as (select ?::jsonb as j),
col as (
    select c.oid, n.nspname, c.relname, c.relrowsecurity, a.attname,
           '(^|[^.\w"])' || regexp_replace(quote_ident(a.attname), '([^A-Za-z0-9_])', '\\\1', 'g') || '([^\w"]|$)'
               || '|\m' || regexp_replace(quote_ident(c.relname), '([^A-Za-z0-9_])', '\\\1', 'g') || '\.'
               || regexp_replace(quote_ident(a.attname), '([^A-Za-z0-9_])', '\\\1', 'g') || '([^\w"]|$)' as mention,
           j -> 'tables' -> (n.nspname || '.' || c.relname) -> 'protected' as protected
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    cross join ctx
    where c.relkind in ('r', 'p')
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
      and j -> 'tables' -> (n.nspname || '.' || c.relname) -> 'protected' @> to_jsonb(a.attname::text)
),
judged as (
    select col.*, role.name as role,
           (select string_agg(p.polname, ', ' order by p.polname)
            from pg_policy p
            where p.polrelid = col.oid and p.polpermissive and p.polcmd in ('w', '*') and p.polqual is not null
              and (0::oid = any(p.polroles) or r.oid = any(p.polroles))
              and not coalesce(pg_get_expr(coalesce(p.polwithcheck, p.polqual), p.polrelid), '') ~ col.mention
           ) as unchecked_by,
           exists (select 1
                   from pg_policy p
                   where p.polrelid = col.oid and not p.polpermissive and p.polcmd in ('w', '*')
                     and (0::oid = any(p.polroles) or r.oid = any(p.polroles))
                     and coalesce(pg_get_expr(coalesce(p.polwithcheck, p.polqual), p.polrelid), '') ~ col.mention
           ) as restricted
    from col
    cross join unnest(array['anon', 'authenticated']) as role(name)
    join pg_roles r on r.rolname = role.name
    where has_column_privilege(role.name, col.oid, col.attname, 'UPDATE')
)
select nspname || '.' || relname || '.' || attname as object,
       nspname || '.' || relname as "table",
       attname as "column",
       string_agg(role, ', ' order by role) as roles,
       string_agg(distinct case when not relrowsecurity then 'row level security is off'
                                else 'policy ' || unchecked_by || ' checks the new row without it' end, '; ') as why,
       string_agg(format('revoke update on %I.%I from %I;', nspname, relname, role)
                  || coalesce(' ' || (select format('grant update (%s) on %I.%I to %I;',
                                                    string_agg(quote_ident(o.attname), ', ' order by o.attnum),
                                                    nspname, relname, role)
                                      from pg_attribute o
                                      where o.attrelid = judged.oid and o.attnum > 0 and not o.attisdropped
                                        and has_column_privilege(role, judged.oid, o.attname, 'UPDATE')
                                        and not protected @> to_jsonb(o.attname::text)), ''),
                  ' ' order by role) as fix_sql
from judged
where not relrowsecurity or (unchecked_by is not null and not restricted)
group by nspname, relname, attname
order by 1
