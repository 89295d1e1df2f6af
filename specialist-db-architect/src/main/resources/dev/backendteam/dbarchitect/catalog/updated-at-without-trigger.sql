-- Tables with an updated_at column but no enabled BEFORE UPDATE … FOR EACH ROW trigger to maintain it
-- (tgtype bits: 1 = row, 2 = before, 16 = update).
select n.nspname || '.' || c.relname as tbl,
       n.nspname || '.' || c.relname as item
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
where a.attname = 'updated_at'
  and a.attnum > 0
  and not a.attisdropped
  and c.relkind in ('r', 'p')
  and n.nspname not in ('information_schema', 'auth', 'extensions')
  and n.nspname not like 'pg\_%'
  and not exists (
    select 1
    from pg_trigger t
    where t.tgrelid = c.oid
      and not t.tgisinternal
      and t.tgenabled <> 'D'
      and (t.tgtype & 1) = 1
      and (t.tgtype & 2) = 2
      and (t.tgtype & 16) = 16)
order by 1
