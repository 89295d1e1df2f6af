-- The tables the intent is asked about: ordinary and partitioned tables outside the ignored and system schemas.
-- The one parameter is the lint context (jsonb); here only its ignored schemas are read.
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || c.relname as tbl
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and n.nspname not in (select jsonb_array_elements_text(j -> 'ignored') from ctx)
  and n.nspname !~ '^pg_'
order by 1
