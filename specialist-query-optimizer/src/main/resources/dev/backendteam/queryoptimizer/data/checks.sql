-- Check constraints of the tables (? = their oids as '{…}'): the expression as the server prints it, and the columns
-- it reads.
select con.conrelid::bigint as table_oid, con.conname::text as name, pg_get_expr(con.conbin, con.conrelid) as expression,
       array(select a.attname::text from unnest(con.conkey) k(attnum)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns
from pg_constraint con
where con.contype = 'c' and con.conrelid = any (?::oid[])
order by con.conrelid, con.conname
