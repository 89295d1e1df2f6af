-- Everything a migration can leave behind, one line per object, for comparing the catalog before the migrations
-- with the catalog after their down scripts. A relation's privileges are compared as a set, and no ACL (NULL) as the
-- owner's default one: a grant and its revoke leave the same privileges as never granting, in another spelling.
select 'schema ' || n.nspname as item
from pg_namespace n
where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text || ' rls=' || c.relrowsecurity::text
       || ' force=' || c.relforcerowsecurity::text || ' acl='
       || coalesce((select string_agg(x::text, ',' order by x::text)
                      from unnest(coalesce(c.relacl, acldefault(case when c.relkind = 'S' then 's'::"char"
                                                                      else 'r'::"char" end, c.relowner))) as x), '')
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || case when a.attnotnull then ' not null' else '' end
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c')
  and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'constraint ' || n.nspname || '.' || coalesce(c.relname, '-') || ' ' || k.conname || ' '
       || pg_get_constraintdef(k.oid)
from pg_constraint k
join pg_namespace n on n.oid = k.connamespace
left join pg_class c on c.oid = k.conrelid
where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'index ' || pg_get_indexdef(i.indexrelid)
from pg_index i
join pg_class c on c.oid = i.indexrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'trigger ' || pg_get_triggerdef(t.oid)
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
where not t.tgisinternal and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'function ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, '')) || ' '
       || coalesce(array_to_string(p.proconfig, ','), '')
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'policy ' || pol.schemaname || '.' || pol.tablename || ' ' || pol.policyname || ' ' || pol.cmd || ' '
       || array_to_string(pol.roles, ',') || ' using ' || coalesce(pol.qual, '') || ' check '
       || coalesce(pol.with_check, '')
from pg_policies pol
where pol.schemaname not like 'pg\_%'
union all
select 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
where t.typtype in ('e', 'd', 'r', 'm')
  and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'extension ' || e.extname || ' ' || e.extversion
from pg_extension e
order by 1
