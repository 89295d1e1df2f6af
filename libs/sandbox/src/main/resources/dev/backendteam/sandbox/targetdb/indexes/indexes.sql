-- The indexes of the tables in the schemas given (a text array), as every rule of catalogue.yaml reads them (the
-- rule's SQL selects from ix). Keys, operator classes, collations and options as arrays (1-based), the key columns
-- first (indnkeyatts), INCLUDE columns after; expressions and predicate as text; rank: what a duplicate keeps —
-- an index that backs a constraint (2) over a unique one (1) over the others (0).
ix as (
    select x.indexrelid, x.indrelid, n.nspname as schema, i.relname as index, t.relname as "table",
           am.amname, x.indisunique, x.indisprimary, x.indisvalid, x.indnkeyatts, x.indnatts,
           string_to_array(x.indkey::text, ' ')::int[] as keys,
           string_to_array(x.indclass::text, ' ')::oid[] as classes,
           string_to_array(x.indcollation::text, ' ')::oid[] as collations,
           string_to_array(x.indoption::text, ' ')::int[] as options,
           coalesce(pg_get_expr(x.indexprs, x.indrelid), '') as exprs,
           coalesce(pg_get_expr(x.indpred, x.indrelid), '') as pred,
           exists (select 1 from pg_constraint k where k.conindid = x.indexrelid) as constraint_backed,
           case when exists (select 1 from pg_constraint k where k.conindid = x.indexrelid) then 2
                when x.indisunique then 1 else 0 end as rank,
           pg_relation_size(x.indexrelid) as bytes,
           format('%I.%I', n.nspname, i.relname) as qualified
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_am am on am.oid = i.relam
     where n.nspname = any (?::text[]) and t.relkind in ('r', 'm', 'p')
)
