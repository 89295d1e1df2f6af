-- Indexes (outside the ignored schemas) that repeat another index of the same table: same access method, key and
-- included columns, expressions, operator classes, collations, sort options and predicate. Uniqueness is not part of
-- the comparison: a plain index with the same key as a unique one is redundant too. Of each set one is kept: the one
-- backing a constraint (the primary key first), else a unique one, else the first by name; the others are reported,
-- dropped with drop index, or with alter table … drop constraint when they back a constraint of their own.
with ctx as (select ?::jsonb as j),
idx as (
    select i.indexrelid, i.indrelid, n.nspname, t.relname as table_name, x.relname as index_name,
           concat_ws('|', x.relam::text, i.indkey::text, i.indclass::text, i.indcollation::text, i.indoption::text,
                     coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
                     to_jsonb(i) ->> 'indnullsnotdistinct') as shape,
           k.conname, i.indisprimary, i.indisunique
    from pg_index i
    join pg_class x on x.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    left join pg_constraint k on k.conindid = i.indexrelid and k.conrelid = i.indrelid
    where i.indisvalid
      and n.nspname not in (select jsonb_array_elements_text(j -> 'ignored') from ctx)
      and n.nspname !~ '^pg_'
),
ranked as (
    select idx.*,
           row_number() over (partition by indrelid, shape
                              order by conname is null, not indisprimary, not indisunique, index_name) as rank,
           first_value(index_name) over (partition by indrelid, shape
                                         order by conname is null, not indisprimary, not indisunique, index_name) as kept
    from idx
)
select nspname || '.' || table_name || '.' || index_name as object,
       nspname || '.' || table_name as "table",
       index_name as "index", kept,
       case when conname is not null
            then format('alter table %I.%I drop constraint %I;', nspname, table_name, conname)
            else format('drop index concurrently if exists %I.%I;', nspname, index_name) end as fix_sql
from ranked
where rank > 1
order by 1
