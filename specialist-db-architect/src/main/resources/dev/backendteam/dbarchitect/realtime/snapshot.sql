-- What a realtime migration changes besides the schema catalog (../catalog/snapshot.sql): publications, their
-- tables, replica identities, and the row security of realtime.messages.
select 'publication ' || p.pubname || ' owner=' || p.pubowner::regrole::text || ' all=' || p.puballtables::text
       || ' ins=' || p.pubinsert::text || ' upd=' || p.pubupdate::text || ' del=' || p.pubdelete::text as item
from pg_publication p
union all
select 'publication table ' || pubname || ' ' || schemaname || '.' || tablename from pg_publication_tables
union all
select 'replica identity ' || n.nspname || '.' || c.relname || ' ' || c.relreplident::text
       || coalesce(' ' || (select ic.relname::text from pg_index i join pg_class ic on ic.oid = i.indexrelid
                            where i.indrelid = c.oid and i.indisreplident), '')
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
union all
select 'realtime.messages rls=' || relrowsecurity::text || ' force=' || relforcerowsecurity::text
from pg_class where oid = to_regclass('realtime.messages')
order by 1
