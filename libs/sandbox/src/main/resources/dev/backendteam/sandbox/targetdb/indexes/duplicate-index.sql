-- An index with the same table, access method, key columns or expressions, INCLUDE columns, predicate, operator
-- classes, collations and orderings as another valid one: the one kept is the better ranked (a constraint's, then a
-- unique one), else the older; an index that backs a constraint is never the one to drop.
select distinct on (a.indexrelid)
       a.schema, a.index, a."table", a.qualified, pg_size_pretty(a.bytes) as size, b.index as other,
       pg_size_pretty(b.bytes) as other_size
  from ix a
  join ix b on b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid
 where a.indisvalid and b.indisvalid
   and a.amname = b.amname and a.keys = b.keys and a.indnkeyatts = b.indnkeyatts
   and a.classes = b.classes and a.collations = b.collations and a.options = b.options
   and a.exprs = b.exprs and a.pred = b.pred
   and not a.constraint_backed
   and (b.rank > a.rank or (b.rank = a.rank and b.indexrelid < a.indexrelid))
 order by a.indexrelid, b.rank desc, b.indexrelid
