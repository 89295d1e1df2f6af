-- UPDATE and FOR ALL policies without WITH CHECK. PostgreSQL then checks the new row against USING: the row must
-- still pass the test that let the user reach it. Variants: for-all (USING is also the INSERT check, and it is the
-- read filter), alternatives (an OR in USING: the user may write any row into any shape that passes one branch);
-- otherwise the reuse is what was meant and the fix only writes it down. using (true) is security.always-true-policy's.
with ctx as (select ?::jsonb as j),
pol as (
    select p.polname, p.polcmd, n.nspname, c.relname,
           pg_get_expr(p.polqual, p.polrelid) as q
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where p.polcmd in ('w', '*')
      and p.polwithcheck is null
      and p.polqual is not null
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
)
select nspname || '.' || relname || '.' || polname as object,
       polname as policy,
       nspname || '.' || relname as "table",
       q as using_expr,
       case when polcmd = '*' then 'for-all' when q ~ '\mOR\M' then 'alternatives' end as variant,
       format('alter policy %I on %I.%I with check (%s);', polname, nspname, relname, q) as fix_sql
from pol
where q not in ('true', 'false')
order by 1
