-- The tables of the supabase_realtime publication, as Realtime reads them.
select schemaname::text || '.' || tablename::text as tbl
from pg_publication_tables
where pubname = 'supabase_realtime'
order by 1
