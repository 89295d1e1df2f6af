with ctx as (select ?::jsonb as j)
select 'x' as object from ctx
