-- Whether a published table is behind RLS, and whether a select policy applies to authenticated (or to public).
select c.relrowsecurity as rls,
       exists (select 1
               from pg_policy p
               where p.polrelid = c.oid
                 and p.polpermissive
                 and p.polcmd in ('r', '*')
                 and (p.polroles = '{0}'::oid[]
                      or 'authenticated'::regrole = any (p.polroles))) as readable
from pg_class c
where c.oid = ?::regclass
