-- Ascending sequences of this database whose last value reached {sequence-used-ratio} of their limit: the smaller of
-- the sequence's own maximum and the maximum of the type of the column that owns it (identity or serial). warn, error
-- from {sequence-error-ratio}. A cycle sequence never runs out (it wraps around): not reported. fix: the statements
-- that move the sequence, and its column if one owns it, to bigint.
with s as (
    select format('%I.%I', q.schemaname, q.sequencename) as object, q.last_value, q.max_value as seq_max,
           col.name as column_name, col.alter_column, col.type_max, col.type_name
      from pg_sequences q
      left join lateral (
          select format('%I.%I.%I', n.nspname, t.relname, a.attname) as name,
                 format('alter table %I.%I alter column %I type bigint', n.nspname, t.relname, a.attname) as alter_column,
                 format_type(a.atttypid, null) as type_name,
                 case a.atttypid when 'int2'::regtype then 32767::numeric when 'int4'::regtype then 2147483647::numeric
                      else 9223372036854775807::numeric end as type_max
            from pg_depend d
            join pg_class t on t.oid = d.refobjid
            join pg_namespace n on n.oid = t.relnamespace
            join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
           where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
             and d.objid = format('%I.%I', q.schemaname, q.sequencename)::regclass and d.deptype in ('a', 'i')
           limit 1) col on true
     where q.increment_by > 0 and q.last_value is not null and not q.cycle
       and q.schemaname not in ('pg_catalog', 'information_schema')
), l as (
    select *, least(seq_max::numeric, coalesce(type_max, seq_max::numeric)) as max_value from s
)
select object, coalesce(' (' || column_name || ', ' || type_name || ')', '') as "column", last_value, max_value,
       case when coalesce(type_max, seq_max) < seq_max then 'the maximum of its column''s type'
            else 'the sequence''s maximum' end as "limit",
       round(last_value / max_value, 4) as ratio, max_value - last_value as "left",
       coalesce(' ' || alter_column || ';', '') as alter_column,
       case when last_value / max_value >= {sequence-error-ratio} then 'error' else 'warn' end as severity
  from l
 where last_value / max_value >= {sequence-used-ratio}
 order by last_value / max_value desc
