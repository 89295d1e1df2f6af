-- Sequences of this database whose last value the role may not read (it needs SELECT or USAGE on them).
select count(*) as n
  from pg_sequences q
 where q.schemaname not in ('pg_catalog', 'information_schema')
   and not has_sequence_privilege(format('%I.%I', q.schemaname, q.sequencename), 'SELECT,USAGE')
