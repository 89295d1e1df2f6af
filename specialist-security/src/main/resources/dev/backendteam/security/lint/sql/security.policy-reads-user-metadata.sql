-- Policies that read user_metadata from the JWT (auth.jwt() -> 'user_metadata') or raw_user_meta_data from
-- auth.users: every signed-in user writes those about themself. The fix reads app_metadata / raw_app_meta_data,
-- which only the service key can set.
with ctx as (select ?::jsonb as j),
pol as (
    select p.polname, n.nspname, c.relname,
           pg_get_expr(p.polqual, p.polrelid) as q,
           pg_get_expr(p.polwithcheck, p.polrelid) as w
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
)
select nspname || '.' || relname || '.' || polname as object,
       polname as policy,
       nspname || '.' || relname as "table",
       concat_ws(' and ', case when concat(q, ' ', w) ~ '\muser_metadata\M' then 'the user_metadata claim' end,
                 case when concat(q, ' ', w) ~ '\mraw_user_meta_data\M' then 'auth.users.raw_user_meta_data' end) as reads,
       '-- fill app_metadata with the service key (auth.admin.updateUserById) before applying this' || chr(10)
           || format('alter policy %I on %I.%I', polname, nspname, relname)
           || coalesce(' using (' || regexp_replace(regexp_replace(q, '\mraw_user_meta_data\M', 'raw_app_meta_data', 'g'),
                                                     '\muser_metadata\M', 'app_metadata', 'g') || ')', '')
           || coalesce(' with check (' || regexp_replace(regexp_replace(w, '\mraw_user_meta_data\M', 'raw_app_meta_data', 'g'),
                                                          '\muser_metadata\M', 'app_metadata', 'g') || ')', '')
           || ';' as fix_sql
from pol
where concat(q, ' ', w) ~ '\m(user_metadata|raw_user_meta_data)\M'
order by 1
