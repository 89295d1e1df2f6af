-- Columns whose names say they hold personal data or credentials (the catalogue's sensitiveColumns, compared in
-- lower case with '-' read as '_'), in tables of an exposed schema, that an API role may select:
--   default variant: RLS is off and anon or authenticated may select the column: every row's value is readable;
--   anon-readable:   RLS is on, anon may select the column and a select policy lets anon see rows.
with ctx as (select ?::jsonb as j),
col as (
    select c.oid, n.nspname, c.relname, c.relrowsecurity, a.attname, a.attnum,
           has_column_privilege('anon', c.oid, a.attnum, 'SELECT') as anon,
           has_column_privilege('authenticated', c.oid, a.attnum, 'SELECT') as authenticated,
           replace(lower(a.attname), '-', '_') in (select jsonb_array_elements_text(j -> 'sensitive')) as sensitive
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    cross join ctx
    where c.relkind in ('r', 'p')
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
),
exposed as (
    select col.*,
           case when relrowsecurity then 'anon-readable' end as variant
    from col
    where sensitive
      and ((not relrowsecurity and (anon or authenticated))
           or (relrowsecurity and anon
               and exists (select 1 from pg_policy p
                           where p.polrelid = col.oid and p.polpermissive and p.polcmd in ('r', '*')
                             and p.polqual is not null
                             and (0::oid = any(p.polroles)
                                  or (select r.oid from pg_roles r where r.rolname = 'anon') = any(p.polroles)))))
)
select nspname || '.' || relname as object,
       format('%I.%I', nspname, relname) as table_sql,
       variant,
       string_agg(attname, ', ' order by attnum) as columns,
       concat_ws(' and ', case when bool_or(anon) then 'anon' end,
                 case when bool_or(authenticated) and variant is null then 'authenticated' end) as roles,
       format('revoke select on %I.%I from anon;', nspname, relname)
           || coalesce((select format(' grant select (%s) on %I.%I to anon;',
                                      string_agg(quote_ident(o.attname), ', ' order by o.attnum),
                                      exposed.nspname, exposed.relname)
                        from col o
                        where o.oid = exposed.oid and o.anon and not o.sensitive
                        having count(*) > 0), '') as anon_fix_sql
from exposed
group by oid, nspname, relname, variant
order by 1
