-- Tables outside the ignored schemas without a primary key (a partition is judged by its parent). Without one,
-- rows cannot be addressed one by one: the Data API cannot update or delete a single row reliably, and logical
-- replication (Realtime) cannot send updates and deletes.
with ctx as (select ?::jsonb as j)
select n.nspname || '.' || c.relname as object
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relispartition
  and n.nspname not in (select jsonb_array_elements_text(j -> 'ignored') from ctx)
  and n.nspname !~ '^pg_'
  and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
order by 1
