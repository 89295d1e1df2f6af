-- The schemas an application keeps its tables in: every schema with a table but PostgreSQL's own and those Supabase
-- manages (auth, storage, realtime, …: the sandbox has its own shims of auth), public first. Rows: (s).
select n.nspname as s from pg_namespace n
 where n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'extensions', 'auth', 'storage',
       'realtime', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks', 'supabase_functions',
       'supabase_migrations', 'net', 'cron', 'pgbouncer', 'qo_gen')
   and exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p'))
 order by n.nspname <> 'public', n.nspname
