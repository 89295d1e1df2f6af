-- pg_stats of the schemas given (a text array), one row per column; for a partitioned table the statistics of the
-- whole tree (inherited), for the others those of the table itself. The anyarray columns as text, parsed by
-- ArrayLiteral. Rows: (schema, "table", "column", null_frac, n_distinct, mcv, mcf, histogram, correlation).
select s.schemaname as schema, s.tablename as "table", s.attname as "column", s.null_frac::float8 as null_frac,
       s.n_distinct::float8 as n_distinct, s.most_common_vals::text as mcv, s.most_common_freqs::text as mcf,
       s.histogram_bounds::text as histogram, s.correlation::float8 as correlation
  from pg_stats s
  join pg_namespace n on n.nspname = s.schemaname
  join pg_class c on c.relnamespace = n.oid and c.relname = s.tablename
 where s.schemaname = any (?::text[]) and s.inherited = (c.relkind = 'p')
 order by 1, 2, 3
