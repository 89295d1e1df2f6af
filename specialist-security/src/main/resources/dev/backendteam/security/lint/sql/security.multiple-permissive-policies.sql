-- Two or more permissive policies of one table that apply to the same API role and action. A policy to public
-- applies to anon and authenticated, a policy for all to select, insert, update and delete. One finding per table
-- and set of overlapping policies; when they share command and roles, the fix merges them into one with the same
-- meaning (USING ORed, WITH CHECK ORed, each policy's check being its WITH CHECK or else its USING).
with ctx as (select ?::jsonb as j),
pol as (
    select p.oid, p.polname, p.polcmd, p.polroles, p.polrelid, n.nspname, c.relname,
           pg_get_expr(p.polqual, p.polrelid) as q,
           pg_get_expr(p.polwithcheck, p.polrelid) as w,
           p.polcmd::text || ':' || array_to_string(array(select r from unnest(p.polroles) r order by r), ',') as shape,
           case when 0::oid = any(p.polroles) then 'public'
                else (select string_agg(quote_ident(r.rolname), ', ' order by r.rolname)
                      from pg_roles r where r.oid = any(p.polroles)) end as roles_sql
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where p.polpermissive
      and n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
),
reach as (
    select pol.oid, pol.polrelid, role.name as role, a.action
    from pol
    cross join unnest(array['anon', 'authenticated']) as role(name)
    cross join lateral unnest(case pol.polcmd when 'r' then array['select'] when 'a' then array['insert']
                                              when 'w' then array['update'] when 'd' then array['delete']
                                              else array['select', 'insert', 'update', 'delete'] end) as a(action)
    where 0::oid = any(pol.polroles)
       or (select r.oid from pg_roles r where r.rolname = role.name) = any(pol.polroles)
),
overlap as (
    select polrelid, role, action, array_agg(oid order by oid) as policies
    from reach
    group by polrelid, role, action
    having count(*) > 1
),
grouped as (
    select polrelid, policies,
           string_agg(distinct role, ', ') as roles,
           string_agg(distinct action, ', ') as actions
    from overlap
    group by polrelid, policies
)
select m.nspname || '.' || m.relname as object,
       m.names as policies, g.roles, g.actions,
       case when m.shapes > 1 then 'mixed' end as variant,
       m.drops || format(' create policy %I on %I.%I as permissive for %s to %s', m.first_name, m.nspname, m.relname,
                         m.cmd, m.roles_sql)
           || coalesce(' using (' || m.using_or || ')', '')
           || coalesce(' with check (' || m.check_or || ')', '') || ';' as fix_sql
from grouped g
cross join lateral (
    select min(pol.nspname) as nspname, min(pol.relname) as relname,
           string_agg(pol.polname, ', ' order by pol.polname) as names,
           (array_agg(pol.polname order by pol.polname))[1] as first_name,
           count(distinct pol.shape) as shapes,
           string_agg(format('drop policy %I on %I.%I;', pol.polname, pol.nspname, pol.relname), ' '
                      order by pol.polname) as drops,
           case min(pol.polcmd::text) when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update'
                                      when 'd' then 'delete' else 'all' end as cmd,
           min(pol.roles_sql) as roles_sql,
           string_agg('(' || pol.q || ')', ' OR ' order by pol.polname)
               filter (where pol.q is not null) as using_or,
           string_agg('(' || coalesce(pol.w, pol.q) || ')', ' OR ' order by pol.polname)
               filter (where pol.polcmd in ('a', 'w', '*') and coalesce(pol.w, pol.q) is not null) as check_or
    from pol
    where pol.oid = any(g.policies)
) m
order by 1, 2
