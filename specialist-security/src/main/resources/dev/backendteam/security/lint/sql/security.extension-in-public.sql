-- Extensions installed in an exposed schema: their functions, types and tables become part of the Data API's
-- schema. A relocatable one moves with alter extension; another must be dropped and created again (variant fixed).
with ctx as (select ?::jsonb as j)
select e.extname as object,
       n.nspname as schema,
       quote_ident(e.extname) as extension_sql,
       case when not e.extrelocatable then 'fixed' end as variant
from pg_extension e
join pg_namespace n on n.oid = e.extnamespace
where n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
order by 1
