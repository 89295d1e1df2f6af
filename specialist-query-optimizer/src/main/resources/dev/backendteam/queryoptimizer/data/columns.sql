-- Every column of the tables (? = their oids as '{…}'), with what the generator needs of its type: a domain is
-- resolved to its base type (its checks kept, VALUE standing for the column), an array to its element type, an enum
-- to its labels in order.
with recursive cols as (
    select a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
           pg_get_expr(d.adbin, d.adrelid) as default_expr
    from pg_attribute a
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = any (?::oid[]) and a.attnum > 0 and not a.attisdropped
), resolved as (
    -- walk down domains to the base type, collecting their checks
    select attrelid, attnum, atttypid as type_oid, atttypmod as typmod, array[]::text[] as domain_checks, 0 as depth
    from cols
    union all
    select r.attrelid, r.attnum, t.typbasetype, t.typtypmod,
           r.domain_checks || coalesce((select array_agg(pg_get_constraintdef(dc.oid) order by dc.conname)
                                        from pg_constraint dc where dc.contypid = t.oid and dc.contype = 'c'),
                                       array[]::text[]),
           r.depth + 1
    from resolved r
    join pg_type t on t.oid = r.type_oid and t.typtype = 'd'
), base as (
    select distinct on (attrelid, attnum) attrelid, attnum, type_oid, typmod, domain_checks
    from resolved
    order by attrelid, attnum, depth desc
)
select c.attrelid::bigint as table_oid, c.attnum as position, c.attname::text as name,
       format_type(c.atttypid, c.atttypmod) as declared_type,
       format_type(b.type_oid, b.typmod) as base_type,
       (bt.typcategory = 'A') as is_array,
       coalesce(et.typname, bt.typname)::text as element_type,
       format_type(coalesce(et.oid, bt.oid), null) as element_type_sql,
       coalesce(et.typtype, bt.typtype)::text as element_kind,
       array(select e.enumlabel::text from pg_enum e where e.enumtypid = coalesce(et.oid, bt.oid)
             order by e.enumsortorder) as enum_labels,
       b.typmod as typmod,
       b.domain_checks,
       c.attnotnull as not_null,
       c.default_expr,
       c.attidentity <> '' as is_identity,
       c.attgenerated <> '' as is_generated
from cols c
join base b on b.attrelid = c.attrelid and b.attnum = c.attnum
join pg_type bt on bt.oid = b.type_oid
left join pg_type et on bt.typcategory = 'A' and et.oid = bt.typelem
order by c.attrelid, c.attnum
