-- Policies that call auth.uid(), auth.jwt(), auth.role(), auth.email() or current_setting(…) bare, so PostgreSQL
-- calls them for every row it checks; wrapped as (select auth.uid()) the planner evaluates them once (an initplan).
-- pg_get_expr prints the wrapped form as "( SELECT auth.uid() AS uid)": those are removed before looking for calls.
-- The fix is the same policy with every call wrapped (wrapped ones unwrapped first, so none is wrapped twice).
with ctx as (select ?::jsonb as j),
pattern as (
    select '\( SELECT (auth\.(?:uid|jwt|role|email)\(\)|current_setting\([^()]*\)) AS [A-Za-z_]+\)' as wrapped,
           '(auth\.(?:uid|jwt|role|email)\(\)|current_setting\([^()]*\))' as call
),
pol as (
    select p.polname, n.nspname, c.relname,
           pg_get_expr(p.polqual, p.polrelid) as q,
           pg_get_expr(p.polwithcheck, p.polrelid) as w
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in (select jsonb_array_elements_text(j -> 'exposed') from ctx)
),
bare as (
    select pol.*,
           regexp_replace(coalesce(q, ''), pattern.wrapped, '', 'g') || ' '
               || regexp_replace(coalesce(w, ''), pattern.wrapped, '', 'g') as stripped,
           regexp_replace(regexp_replace(q, pattern.wrapped, '\1', 'g'), pattern.call, '(select \1)', 'g') as q_fixed,
           regexp_replace(regexp_replace(w, pattern.wrapped, '\1', 'g'), pattern.call, '(select \1)', 'g') as w_fixed,
           pattern.call
    from pol cross join pattern
)
select nspname || '.' || relname || '.' || polname as object,
       polname as policy,
       nspname || '.' || relname as "table",
       (select string_agg(distinct m[1], ', ') from regexp_matches(stripped, call, 'g') as m) as calls,
       format('alter policy %I on %I.%I', polname, nspname, relname)
           || coalesce(' using (' || q_fixed || ')', '')
           || coalesce(' with check (' || w_fixed || ')', '') || ';' as fix_sql
from bare
where stripped ~ call
order by 1
