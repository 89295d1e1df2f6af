-- Every column of the relations (tables, views) of the exposed schema, with what the Data API and the types need:
-- the type as written in DDL, its category, NOT NULL, the default, identity/generated, the position in the primary
-- key, and whether the relation is a table with row level security.
select c.relname as rel,
       c.relkind::text as kind,
       c.relrowsecurity as rls,
       a.attname as col,
       format_type(a.atttypid, a.atttypmod) as col_type,
       t.typcategory::text as category,
       a.attnotnull as not_null,
       pg_get_expr(d.adbin, d.adrelid) as default_expr,
       a.attidentity::text as identity,
       a.attgenerated::text as generated,
       coalesce((select k.o from pg_index i, unnest(i.indkey) with ordinality as k(num, o)
                 where i.indrelid = c.oid and i.indisprimary and k.num = a.attnum), 0) as pk_position
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
join pg_type t on t.oid = a.atttypid
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where c.relkind in ('r', 'p', 'v', 'm') and n.nspname = 'public'
order by c.relname, a.attnum
