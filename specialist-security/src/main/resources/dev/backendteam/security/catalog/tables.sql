-- Every table of the exposed schemas (?::text[]) with its columns, keys, foreign keys, check constraints and
-- policies, one row per table, the parts as JSON so that the catalog is read in one round trip.
select n.nspname as schema,
       c.relname as name,
       c.relrowsecurity as rls,
       c.relforcerowsecurity as force_rls,
       (select coalesce(json_agg(json_build_object(
                   'name', a.attname,
                   'type', format_type(a.atttypid, a.atttypmod),
                   'notNull', a.attnotnull,
                   'hasDefault', a.atthasdef,
                   'identity', a.attidentity,
                   'generated', a.attgenerated,
                   'enumValues', (select json_agg(e.enumlabel order by e.enumsortorder)
                                    from pg_enum e where e.enumtypid = a.atttypid))
                   order by a.attnum), '[]'::json)
          from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select coalesce(json_agg(a.attname order by k.ord), '[]'::json)
          from pg_constraint p
          cross join lateral unnest(p.conkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = p.conrelid and a.attnum = k.attnum
         where p.conrelid = c.oid and p.contype = 'p') as primary_key,
       (select coalesce(json_agg(json_build_object(
                   'name', f.conname,
                   'columns', (select json_agg(a.attname order by k.ord)
                                 from unnest(f.conkey) with ordinality as k(attnum, ord)
                                 join pg_attribute a on a.attrelid = f.conrelid and a.attnum = k.attnum),
                   'onDelete', case f.confdeltype when 'c' then 'cascade' when 'n' then 'set null'
                                                  when 'd' then 'set default' when 'r' then 'restrict'
                                                  else 'no action' end,
                   'refSchema', rn.nspname,
                   'refTable', rc.relname,
                   'refColumns', (select json_agg(a.attname order by k.ord)
                                    from unnest(f.confkey) with ordinality as k(attnum, ord)
                                    join pg_attribute a on a.attrelid = f.confrelid and a.attnum = k.attnum))
                   order by f.conname), '[]'::json)
          from pg_constraint f
          join pg_class rc on rc.oid = f.confrelid
          join pg_namespace rn on rn.oid = rc.relnamespace
         where f.conrelid = c.oid and f.contype = 'f') as foreign_keys,
       (select coalesce(json_agg(pg_get_constraintdef(k.oid) order by k.conname), '[]'::json)
          from pg_constraint k
         where k.conrelid = c.oid and k.contype = 'c') as checks,
       (select coalesce(json_agg(json_build_object(
                   'name', p.polname,
                   'permissive', p.polpermissive,
                   'roles', (select json_agg(case when r = 0 then 'public' else pg_get_userbyid(r) end order by 1)
                               from unnest(p.polroles) as r),
                   'command', case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update'
                                            when 'd' then 'delete' else 'all' end,
                   'using', pg_get_expr(p.polqual, p.polrelid),
                   'withCheck', pg_get_expr(p.polwithcheck, p.polrelid))
                   order by p.polname), '[]'::json)
          from pg_policy p
         where p.polrelid = c.oid) as policies,
       (select coalesce(json_agg(json_build_object(
                   'role', case when x.grantee = 0 then 'public' else pg_get_userbyid(x.grantee) end,
                   'privilege', lower(x.privilege_type),
                   'column', null) order by x.grantee, x.privilege_type), '[]'::json)
          from aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) x
         where x.grantee <> c.relowner) as table_grants,
       (select coalesce(json_agg(json_build_object(
                   'role', case when x.grantee = 0 then 'public' else pg_get_userbyid(x.grantee) end,
                   'privilege', lower(x.privilege_type),
                   'column', a.attname) order by a.attnum, x.grantee, x.privilege_type), '[]'::json)
          from pg_attribute a
          cross join lateral aclexplode(a.attacl) x
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null) as column_grants,
       (select coalesce(json_agg(json_build_object('name', tg.tgname, 'function', p.proname, 'source', p.prosrc)
                   order by tg.tgname), '[]'::json)
          from pg_trigger tg
          join pg_proc p on p.oid = tg.tgfoid
         where tg.tgrelid = c.oid and not tg.tgisinternal) as triggers
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p')
   and n.nspname = any (?::text[])
   and not c.relispartition
 order by n.nspname, c.relname
