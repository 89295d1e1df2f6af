package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.llm.RepairLoop.Problem;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.matrix.RlsMatrixRunner;
import dev.backendteam.security.engine.matrix.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the intent fixed while a draft is repaired (issue 11): a repair may fix what the check reported and nothing
 * else. It is refused when it lets any actor do what the draft before it did not — the two drafts' RLS matrix
 * expectations, derived from the intent in Java as the matrix derives them, compared cell by cell — or when it changes
 * a table no reported problem named.
 */
final class RepairGuard {
    private final DraftCheck check;
    private final SchemaCatalog catalog;
    private final Set<String> tables;

    /** {@code tables}: the qualified tables of the job whose matrix is compared. */
    RepairGuard(DraftCheck check, Set<String> tables) {
        this.check = check;
        this.catalog = check.catalog();
        this.tables = Set.copyOf(tables);
    }

    /** Why {@code repair} may not replace {@code before} (whose problems were {@code problems}); empty if it may. */
    Optional<String> refusal(AccessDraft before, List<Problem> problems, AccessDraft repair) {
        List<String> widened = widened(before, repair);
        if (!widened.isEmpty()) {
            return Optional.of("refused: the repair widens " + String.join(", ", widened) + " — a repair may fix the"
                    + " reported problems, never grant what the draft before it denied");
        }
        List<String> unasked = new ArrayList<>();
        for (String table : union(before, repair)) {
            boolean changed = !Objects.equals(before.access().get(table), repair.access().get(table))
                    || !Objects.equals(before.ownerColumns().get(table), repair.ownerColumns().get(table));
            if (changed && problems.stream().noneMatch(p -> concerns(p, table))) {
                unasked.add(table);
            }
        }
        if (!unasked.isEmpty()) {
            return Optional.of("refused: the repair changes " + String.join(", ", unasked) + ", which no reported"
                    + " problem concerned — a repair may fix the reported problems and change nothing else");
        }
        return Optional.empty();
    }

    /**
     * The cells ({@code actor/operation on table}) where {@code after} expects more than {@code before}: allowed where
     * it was refused, or more rows. A table the earlier draft left out has nothing to compare with.
     */
    List<String> widened(AccessDraft before, AccessDraft after) {
        Map<String, RlsMatrixRunner.Cell> was = cells(check.intent(before, "before"), before);
        Map<String, RlsMatrixRunner.Cell> now = cells(check.intent(after, "after"), before);
        List<String> widened = new ArrayList<>();
        now.forEach((id, cell) -> {
            RlsMatrixRunner.Cell old = was.get(id);
            if (old != null && cell.expected() == Verdict.ALLOW && (old.expected() != Verdict.ALLOW
                    || cell.expectedRows() > old.expectedRows())) {
                widened.add(cell.actor() + "/" + cell.operation() + " on " + local(cell.table()));
            }
        });
        return widened;
    }

    /** The cells of the tables {@code present} drafts, by id. */
    private Map<String, RlsMatrixRunner.Cell> cells(AccessIntent intent, AccessDraft present) {
        Map<String, RlsMatrixRunner.Cell> byId = new LinkedHashMap<>();
        for (RlsMatrixRunner.Cell c : new RlsMatrixRunner(intent, catalog, tables).cells()) {
            if (present.access().containsKey(local(c.table()))) {
                byId.put(c.id(), c);
            }
        }
        return byId;
    }

    /** A problem without an object (an unreadable answer) concerns no table: it licenses no change. */
    private static boolean concerns(Problem p, String table) {
        return p.object() != null && (p.object().equals(table) || p.object().startsWith(table + "/")
                || p.object().startsWith(table + "."));
    }

    private static List<String> union(AccessDraft a, AccessDraft b) {
        TreeSet<String> all = new TreeSet<>(a.access().keySet());
        all.addAll(b.access().keySet());
        all.addAll(a.ownerColumns().keySet());
        all.addAll(b.ownerColumns().keySet());
        return List.copyOf(all);
    }

    private static String local(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }
}
