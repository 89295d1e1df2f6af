package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.List;

/**
 * The foreign keys filled after the tables: a self-reference becomes a tree (each row with a parent points at an
 * earlier row; most stay roots, as most tasks are not subtasks), a key that closed a cycle points at the other table's keys with skew. Both
 * by UPDATE over the numbered keys, the tree in chunks.
 */
final class DeferredLinks {
    private final KeyRanks ranks;
    private final GenerationSettings settings;

    DeferredLinks(KeyRanks ranks, GenerationSettings settings) {
        this.ranks = ranks;
        this.settings = settings;
    }

    void link(SandboxDatabase db, CatalogTable t, CatalogTable.ForeignKey fk, List<String> notes) {
        if (!FillOrder.nullable(t, fk)) {
            return;
        }
        String parentSql = Sql.ident(fk.parentSchema()) + "." + Sql.ident(fk.parentTable());
        List<String> errors = new java.util.ArrayList<>();
        ranks.forget(fk.parent());
        KeyRanks.Ranked parent = ranks.of(db, parentSql, fk.parent(), fk.parentColumns(), errors);
        if (parent == null || parent.count() == 0) {
            notes.add(t.qualified() + "." + String.join(",", fk.columns()) + " left null: "
                      + (parent == null ? String.join("; ", errors) : fk.parent() + " has no rows") + ".");
            return;
        }
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < fk.columns().size(); i++) {
            set.append(i == 0 ? "" : ", ").append(Sql.ident(fk.columns().get(i))).append(" = p.").append(parent.column(i));
        }
        if (fk.parent().equals(t.qualified())) {
            tree(db, t, fk, parent, set.toString(), notes);
        } else {
            String sql = "update " + t.sql() + " t set " + set + " from (select ctid as tid, floor(" + parent.count()
                         + " * power(random(), 2))::bigint as pr from " + t.sql() + " where random() < 0.9) x join "
                         + parent.table() + " p on p.rank = x.pr where t.ctid = x.tid";
            ScriptResult r = db.apply(sql);
            if (!r.ok()) {
                TableFiller.failed(t, r, notes);
            }
        }
    }

    private void tree(SandboxDatabase db, CatalogTable t, CatalogTable.ForeignKey fk, KeyRanks.Ranked keys,
                      String set, List<String> notes) {
        StringBuilder child = new StringBuilder();
        StringBuilder match = new StringBuilder();
        for (int i = 0; i < fk.parentColumns().size(); i++) {
            child.append(", k.c").append(i).append(" as x").append(i);
            match.append(i == 0 ? "" : " and ").append("t.").append(Sql.ident(fk.parentColumns().get(i)))
                    .append(" = x.x").append(i);
        }
        ChunkSizer sizer = new ChunkSizer(settings.chunkTarget());
        long lo = 1;
        while (lo < keys.count()) {
            long hi = Math.min(keys.count() - 1, lo + sizer.size() - 1);
            String sql = "update " + t.sql() + " t set " + set + " from (select floor(k.rank * random())::bigint as pr"
                         + child + " from " + keys.table() + " k where k.rank between " + lo + " and " + hi
                         + " and random() < 0.3) x join " + keys.table() + " p on p.rank = x.pr where " + match;
            ScriptResult r = db.apply(sql);
            if (!r.ok()) {
                TableFiller.failed(t, r, notes);
                return;
            }
            sizer.measured(hi - lo + 1, Math.max(1, r.statements().get(0).durationMs()));
            lo = hi + 1;
        }
    }
}
