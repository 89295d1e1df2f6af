-- A valid non-unique btree on plain columns, with no INCLUDE columns, whose keys (with their operator classes,
-- collations and orderings) are a leading prefix of a longer valid btree of the same table with the same predicate:
-- the longer one serves the same lookups and orderings. The other, when several: the smallest.
select distinct on (a.indexrelid)
       a.schema, a.index, a."table", a.qualified, pg_size_pretty(a.bytes) as size, b.index as other,
       pg_size_pretty(b.bytes) as other_size
  from ix a
  join ix b on b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid
 where a.amname = 'btree' and b.amname = 'btree' and a.indisvalid and b.indisvalid
   and not a.indisunique and not a.constraint_backed
   and a.indnatts = a.indnkeyatts and a.exprs = ''
   and b.indnkeyatts > a.indnkeyatts
   and a.keys[1:a.indnkeyatts] = b.keys[1:a.indnkeyatts]
   and a.classes[1:a.indnkeyatts] = b.classes[1:a.indnkeyatts]
   and a.collations[1:a.indnkeyatts] = b.collations[1:a.indnkeyatts]
   and a.options[1:a.indnkeyatts] = b.options[1:a.indnkeyatts]
   and a.pred = b.pred
 order by a.indexrelid, b.bytes, b.indexrelid
