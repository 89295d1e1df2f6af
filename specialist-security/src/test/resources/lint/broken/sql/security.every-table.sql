-- in descending order on purpose: the linter orders the findings
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || c.relname as object, case when c.relname like 'e%' then 'error' end as variant
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'r' and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
order by 1 desc
