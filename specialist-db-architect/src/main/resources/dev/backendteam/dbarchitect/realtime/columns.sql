-- The columns of public's tables, for the realtime role's scope resolution and fixtures: type, nullability, whether
-- the server fills the column (default, identity, generated), an enum's labels, and whether it is in the primary key.
select c.relname::text as tbl, a.attname::text as col, format_type(a.atttypid, a.atttypmod) as type,
       a.attnotnull as not_null,
       (d.adbin is not null or a.attidentity <> '' or a.attgenerated <> '') as filled,
       coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e
                 where e.enumtypid = a.atttypid), '') as enum_labels,
       coalesce(a.attnum = any (pk.conkey), false) as in_key,
       -- 'i' carries its index ("i:<index>"): a down script restores "replica identity using index <index>"
       case when c.relreplident = 'i'
            then 'i:' || (select ic.relname::text from pg_index i join pg_class ic on ic.oid = i.indexrelid
                          where i.indrelid = c.oid and i.indisreplident)
            else c.relreplident::text end as replica_identity
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
left join pg_constraint pk on pk.conrelid = c.oid and pk.contype = 'p'
where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
order by c.relname, a.attnum
