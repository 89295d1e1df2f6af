-- Where pg_stat_statements is installed (its schema, null: not installed), its version, and whether the role reads
-- every user's statements (pg_read_all_stats, or a superuser) and may select its view.
select (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
         where e.extname = 'pg_stat_statements') as schema,
       (select extversion from pg_extension where extname = 'pg_stat_statements') as version,
       (select rolsuper from pg_roles where rolname = current_user)
           or pg_has_role(current_user, 'pg_read_all_stats', 'member') as reads_all
