-- Foreign keys (outside the ignored schemas) whose columns do not lead a valid, non-partial index in any order:
-- every delete or key update of a parent row scans the child table, and joins on the key cannot use an index.
-- Variant policy-column: a policy of the table reads one of the key's columns (pg_depend), so every policied query
-- on the table filters on an unindexed column.
with ctx as (select ?::jsonb as j),
fk as (
    select k.oid, k.conname, k.conrelid, k.conkey, n.nspname, c.relname,
           (select string_agg(a.attname, ', ' order by x.ord)
            from unnest(k.conkey) with ordinality as x(attnum, ord)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum) as columns,
           (select string_agg(quote_ident(a.attname), ', ' order by x.ord)
            from unnest(k.conkey) with ordinality as x(attnum, ord)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum) as columns_sql,
           (select string_agg(a.attname, '_' order by x.ord)
            from unnest(k.conkey) with ordinality as x(attnum, ord)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum) as columns_name,
           (select pn.nspname || '.' || pc.relname
            from pg_class pc join pg_namespace pn on pn.oid = pc.relnamespace
            where pc.oid = k.confrelid) as parent
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f'
      and n.nspname not in (select jsonb_array_elements_text(j -> 'ignored') from ctx)
      and n.nspname !~ '^pg_'
)
select nspname || '.' || relname || '.' || conname as object,
       nspname || '.' || relname as "table",
       columns, parent,
       case when exists (select 1 from pg_depend d
                         where d.classid = 'pg_policy'::regclass and d.refclassid = 'pg_class'::regclass
                           and d.refobjid = fk.conrelid and d.refobjsubid = any(fk.conkey))
            then 'policy-column' end as variant,
       format('create index concurrently if not exists %I on %I.%I (%s);',
              left('idx_' || relname || '_' || columns_name, 63), nspname, relname, columns_sql) as fix_sql
from fk
where not exists (
    select 1
    from pg_index i
    where i.indrelid = fk.conrelid
      and i.indisvalid
      and i.indpred is null
      and (select array_agg(u.attnum order by u.attnum)
           from unnest(i.indkey::int2[]) with ordinality as u(attnum, ord)
           where u.ord <= cardinality(fk.conkey))
          = (select array_agg(x order by x) from unnest(fk.conkey) as x))
order by 1
