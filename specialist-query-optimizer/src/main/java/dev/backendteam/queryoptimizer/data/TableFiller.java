package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.Limit;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills one table, set-based: {@code insert into t (…) select … from (candidates of generate_series(lo, hi)) where
 * <every check> limit n on conflict do nothing}, chunk after chunk, until the table has its rows. Candidates are
 * drawn more than needed when checks reject some, so no row ever violates a check; foreign keys join the parents'
 * numbered keys on a skewed rank.
 */
final class TableFiller {
    /** auth.users is GoTrue's: only the columns user schemas read are generated, the rest keep their defaults. */
    private static final Set<String> AUTH_USERS_COLUMNS = Set.of("id", "email", "created_at", "last_sign_in_at");
    private static final Pattern HOT_PARENT = Pattern.compile(".*(user|owner|org|tenant|workspace|team|account|author|creator|member).*");
    private static final Pattern VALUE = Pattern.compile("\\bVALUE\\b");

    private final ValueExpressions values;
    private final KeyRanks ranks;
    private final GenerationSettings settings;

    TableFiller(ValueExpressions values, KeyRanks ranks, GenerationSettings settings) {
        this.values = values;
        this.ranks = ranks;
        this.settings = settings;
    }

    /** The rows the table should hold now; what went wrong is added to notes. Returns the rows inserted. */
    long fill(SandboxDatabase db, CatalogTable t, long target, Set<String> deferred, Map<String, CatalogTable> catalog,
              TableStatistics stats, int index, List<String> notes) {
        long existing = count(db, t);
        long need = target - existing;
        if (need <= 0) {
            return 0;
        }
        Uniqueness unique = Uniqueness.of(t, deferred);
        notes.addAll(unique.notes());
        Slots slots = new Slots();
        Map<String, String> exprs = new LinkedHashMap<>();
        List<String> joins = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        long radixSpan = 1;
        long maxRows = Long.MAX_VALUE;
        // foreign keys first, the widest first, so that a composite key decides the columns it shares with others
        List<CatalogTable.ForeignKey> fks = new ArrayList<>(t.foreignKeys());
        fks.sort(Comparator.comparingInt((CatalogTable.ForeignKey f) -> -f.columns().size()));
        int joinNo = 0;
        for (CatalogTable.ForeignKey fk : fks) {
            boolean nullable = FillOrder.nullable(t, fk);
            if (deferred.contains(FillOrder.key(t, fk))) {
                if (!nullable) {
                    notes.add(t.qualified() + " could not be filled: its NOT NULL foreign key " + fk.name()
                              + " points at rows that cannot exist before it.");
                    return 0;
                }
                for (String c : fk.columns()) {
                    exprs.putIfAbsent(c, "null::" + t.column(c).orElseThrow().baseType());
                }
                continue;
            }
            if (fk.columns().stream().anyMatch(exprs::containsKey)) {
                // the columns are (partly) decided by a wider key: unless that key's parent guarantees them (its own
                // foreign key to the same parent), keep only rows whose values this parent has
                if (!impliedByWider(fk, fks, t, catalog)) {
                    filters.add(exists(fk));
                }
                continue;
            }
            String parentSql = Sql.ident(fk.parentSchema()) + "." + Sql.ident(fk.parentTable());
            List<String> errors = new ArrayList<>();
            KeyRanks.Ranked ranked = ranks.of(db, parentSql, fk.parent(), fk.parentColumns(), errors);
            if (ranked == null || ranked.count() == 0) {
                String why = ranked == null ? "its keys could not be read (" + String.join("; ", errors) + ")"
                        : "it has no rows";
                if (nullable) {
                    notes.add(t.qualified() + "." + String.join(",", fk.columns()) + " left null: the parent "
                              + fk.parent() + " " + why + ".");
                    fk.columns().forEach(c -> exprs.put(c, "null::" + t.column(c).orElseThrow().baseType()));
                    continue;
                }
                notes.add(t.qualified() + " could not be filled: the parent " + fk.parent() + " of " + fk.name()
                          + " " + why + ".");
                return 0;
            }
            String rank;
            if (unique.radix().contains(fk)) {
                // a key of foreign keys: the row number walks the parents' keys in mixed radix, one combination each
                rank = "((g - 1) / " + radixSpan + ") % " + ranked.count();
                radixSpan = radixSpan > Long.MAX_VALUE / ranked.count() ? Long.MAX_VALUE : radixSpan * ranked.count();
                maxRows = radixSpan;
            } else {
                // a few hot parents: rank 0 draws n^(-1/k) of the rows
                int k = HOT_PARENT.matcher((fk.parent() + " " + String.join(" ", fk.columns())).toLowerCase(Locale.ROOT))
                        .matches() ? 3 : 2;
                rank = "floor(" + ranked.count() + " * power(random(), " + k + "))::bigint";
                if (nullable) {
                    TableStatistics.Column s = stats == null ? null : stats.columns().get(fk.columns().get(0));
                    double nulls = s != null ? s.nullFrac() : 0.1;
                    rank = "case when random() < " + ValueExpressions.num(nulls) + " then null else " + rank + " end";
                }
            }
            String slot = slots.add(rank, "r");
            String alias = "k" + (++joinNo);
            joins.add((nullable ? " left join " : " join ") + ranked.table() + " " + alias + " on " + alias
                      + ".rank = " + slot);
            for (int i = 0; i < fk.columns().size(); i++) {
                exprs.put(fk.columns().get(i), alias + "." + ranked.column(i));
            }
        }
        boolean authUsers = t.qualified().equals(RowTargets.AUTH_USERS);
        for (CatalogTable.Column c : t.columns()) {
            if (exprs.containsKey(c.name()) || c.leftToDatabase() || (authUsers && !AUTH_USERS_COLUMNS.contains(c.name()))) {
                continue;
            }
            List<String> own = new ArrayList<>();
            t.checks().stream().filter(k -> k.columns().equals(List.of(c.name()))).forEach(k -> own.add(k.expression()));
            c.domainChecks().forEach(d -> own.add(domainCheck(d, c.name())));
            TableStatistics.Column s = stats == null ? null : stats.columns().get(c.name());
            var e = values.of(t, c, unique.rowUnique().contains(c.name()), CheckShape.of(c.name(), own), s, target, slots);
            if (e.isPresent()) {
                exprs.put(c.name(), e.get());
            } else if (!c.notNull()) {
                notes.add(t.qualified() + "." + c.name() + " left null: the generator does not know the type "
                          + c.declaredType() + ".");
            } else if (c.defaultExpr() != null) {
                notes.add(t.qualified() + "." + c.name() + " left to its default: the generator does not know the type "
                          + c.declaredType() + ".");
            } else {
                notes.add(t.qualified() + " could not be filled: the NOT NULL column " + c.name() + " has the type "
                          + c.declaredType() + ", which the generator does not know.");
                return 0;
            }
        }
        if (exprs.isEmpty()) {
            notes.add(t.qualified() + ": every column is the database's to fill; not filled.");
            return 0;
        }
        for (CatalogTable.Check k : t.checks()) {
            if (exprs.keySet().containsAll(k.columns())) {
                filters.add("(" + k.expression() + ") is not false");
            } else {
                notes.add(t.qualified() + ": the check " + k.name() + " reads columns the database fills; rows that"
                          + " break it fail the insert.");
            }
        }
        for (CatalogTable.Column c : t.columns()) {
            if (exprs.containsKey(c.name())) {
                c.domainChecks().forEach(d -> filters.add("(" + domainCheck(d, c.name()) + ") is not false"));
            }
        }
        if (maxRows < target) {
            notes.add(String.format(Locale.ROOT, "%s gets at most %,d rows: its key of foreign keys has no more distinct"
                      + " parent combinations.", t.qualified(), maxRows));
        }
        long budget = Math.min(need, maxRows - existing);
        return run(db, t, exprs, joins, filters, slots, existing, budget, maxRows, index, notes);
    }

    private long run(SandboxDatabase db, CatalogTable t, Map<String, String> exprs, List<String> joins,
                     List<String> filters, Slots slots, long existing, long need, long maxG, int index,
                     List<String> notes) {
        if (need <= 0) {
            return 0;
        }
        StringBuilder cols = new StringBuilder();
        StringBuilder select = new StringBuilder();
        exprs.forEach((c, e) -> {
            cols.append(cols.length() == 0 ? "" : ", ").append(Sql.ident(c));
            select.append(select.length() == 0 ? "" : ", ").append(e).append(" as ").append(Sql.ident(c));
        });
        String where = filters.isEmpty() ? "" : " where " + String.join(" and ", filters);
        boolean filtered = !filters.isEmpty();
        double seed = ((settings.seed() * 31 + index) % 1_000_003) / 1_000_003.0;
        ScriptResult seeded = db.apply("select setseed(" + seed + ")");
        if (!seeded.ok()) {
            failed(t, seeded, notes);
            return 0;
        }
        ChunkSizer sizer = new ChunkSizer(settings.chunkTarget());
        double pass = filtered ? 0.5 : 1.0;
        long g = existing + 1;
        long inserted = 0;
        int barren = 0;
        int timeouts = 0;
        while (inserted < need && g <= maxG) {
            long want = Math.min(need - inserted, sizer.size());
            long candidates = (long) Math.ceil(want / Math.max(pass, 0.001) * (filtered ? 1.2 : 1.0));
            if (barren > 0) {
                candidates *= (long) Math.pow(10, barren);
            }
            long hi = Math.min(maxG, g + candidates - 1);
            String sql = "insert into " + t.sql() + " (" + cols + ") select " + cols + " from (select " + select
                         + " from (" + slots.sql(g, hi) + ") s" + String.join("", joins) + ") c" + where
                         + (filtered ? " limit " + want : "") + " on conflict do nothing";
            ScriptResult r = db.apply(sql);
            if (!r.ok()) {
                if (r.error().limit() == Limit.STATEMENT_TIMEOUT && timeouts++ < 3) {
                    sizer.tooSlow();
                    continue;
                }
                failed(t, r, notes);
                break;
            }
            long got = r.statements().get(0).rows();
            inserted += got;
            long tried = hi - g + 1;
            g = hi + 1;
            if (got == 0) {
                if (++barren >= 3) {
                    notes.add(t.qualified() + " stopped at " + (existing + inserted) + " rows: " + tried + " candidate"
                              + " rows in a row all broke a check or a key (" + String.join(" and ", filters) + ").");
                    break;
                }
                continue;
            }
            barren = 0;
            pass = Math.max(0.001, (double) got / tried);
            sizer.measured(got, Math.max(1, r.statements().get(0).durationMs()));
        }
        if (inserted < need && g > maxG) {
            notes.add(t.qualified() + " stopped at " + (existing + inserted) + " rows: no more distinct parent keys.");
        }
        return inserted;
    }

    /**
     * True when a wider foreign key already fixes {@code fk}'s columns to values its parent holds: tasks (project_id,
     * org_id) → projects (id, org_id), and projects.org_id → organizations.id, fix tasks.org_id → organizations.id.
     */
    private static boolean impliedByWider(CatalogTable.ForeignKey fk, List<CatalogTable.ForeignKey> all, CatalogTable t,
                                          Map<String, CatalogTable> catalog) {
        for (CatalogTable.ForeignKey wide : all) {
            if (wide == fk || !wide.columns().containsAll(fk.columns())) {
                continue;
            }
            List<String> mapped = fk.columns().stream().map(c -> wide.parentColumns().get(wide.columns().indexOf(c))).toList();
            CatalogTable parent = catalog.get(wide.parent());
            if (parent != null && parent.foreignKeys().stream().anyMatch(p -> p.columns().equals(mapped)
                    && p.parent().equals(fk.parent()) && p.parentColumns().equals(fk.parentColumns()))) {
                return true;
            }
        }
        return false;
    }

    /** A domain's {@code CHECK ((VALUE > 0))} as a condition on the column. */
    static String domainCheck(String def, String column) {
        String e = def.trim();
        if (e.toUpperCase(Locale.ROOT).startsWith("CHECK")) {
            e = e.substring(5).trim();
        }
        if (e.toUpperCase(Locale.ROOT).endsWith("NOT VALID")) {
            e = e.substring(0, e.length() - 9).trim();
        }
        return VALUE.matcher(e).replaceAll(java.util.regex.Matcher.quoteReplacement(Sql.ident(column)));
    }

    private static String exists(CatalogTable.ForeignKey fk) {
        StringBuilder s = new StringBuilder("(");
        // MATCH SIMPLE: a key with a null column refers to nothing and passes
        fk.columns().forEach(c -> s.append("c.").append(Sql.ident(c)).append(" is null or "));
        s.append("exists (select 1 from ").append(Sql.ident(fk.parentSchema())).append(".")
                .append(Sql.ident(fk.parentTable())).append(" p where ");
        for (int i = 0; i < fk.columns().size(); i++) {
            s.append(i == 0 ? "" : " and ").append("p.").append(Sql.ident(fk.parentColumns().get(i))).append(" = c.")
                    .append(Sql.ident(fk.columns().get(i)));
        }
        return s.append("))").toString();
    }

    static void failed(CatalogTable t, ScriptResult r, List<String> notes) {
        if (SandboxLostException.isLost(r.error())) {
            throw new SandboxLostException("filling " + t.qualified(), r.error());
        }
        notes.add(t.qualified() + " could not be filled further: " + r.error().describe());
    }

    static long count(SandboxDatabase db, CatalogTable t) {
        return ((Number) db.query("select count(*) as n from " + t.sql()).get(0).get("n")).longValue();
    }
}
