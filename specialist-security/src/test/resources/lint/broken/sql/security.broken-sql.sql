with ctx as (select ?::jsonb as j)
select (1 / 0)::text as object from ctx
