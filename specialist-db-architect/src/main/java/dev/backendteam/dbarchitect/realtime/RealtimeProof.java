package dev.backendteam.dbarchitect.realtime;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The realtime proofs, in a sandbox database that already holds the job's schema up to the realtime migration: the
 * migration applied (then whatever the bundle has after it), the publication compared with the intended set
 * (exactly: what was there before plus the plan's tables) and the replica identities the plan needs, the channel
 * matrix ({@link ChannelMatrix}), the down scripts back to the catalog as before (schema, policies, publication,
 * replica identities), and the migrations again with the publication checked once more.
 */
public final class RealtimeProof {
    public static final String APPLY = "apply: the bundle, then the realtime migration, in a fresh sandbox";
    public static final String PUBLICATION = "publication: supabase_realtime holds exactly the intended tables";
    public static final String MATRIX = "channel policies: join, receive and send on realtime.messages as the"
            + " matrix's actors (policy-level: no Realtime server runs here)";
    public static final String DOWN = "down: the realtime migration's down script leaves the catalog and the"
            + " publication as before it";
    public static final String UP_AGAIN = "up again: the realtime migration applies again and the publication is"
            + " again exactly the intended set";
    public static final String APPLY_FAILED = "realtime.apply-failed";
    public static final String TABLE_WITHOUT_RLS = "realtime.table-without-rls";
    public static final String TABLE_UNREADABLE = "realtime.table-unreadable";
    private static final String SCHEMA_SNAPSHOT = SchemaGraph.resource("/dev/backendteam/dbarchitect/catalog/snapshot.sql");
    private static final String REALTIME_SNAPSHOT = SchemaGraph.sql("snapshot.sql");

    private RealtimeProof() {
    }

    /** The publication's tables now. */
    public static Set<String> published(SandboxDatabase db) {
        Set<String> tables = new TreeSet<>();
        db.query(SchemaGraph.sql("publication.sql")).forEach(r -> tables.add(String.valueOf(r.get("tbl"))));
        return tables;
    }

    /**
     * Runs the proofs of {@code mine} (and the migrations {@code after} it, in the validation round) for {@code plan};
     * {@code before} is the publication before the migration.
     */
    public static void prove(SandboxDatabase db, RealtimePlan plan, SchemaGraph graph, Set<String> before,
            Migration mine, List<Migration> after, List<Evidence> evidence, List<Finding> findings) {
        List<String> snapshot = snapshot(db);
        List<Migration> all = new ArrayList<>(List.of(mine));
        all.addAll(after);
        if (!apply(db, all, APPLY, evidence, findings)) {
            return;
        }
        Set<String> intended = new TreeSet<>(before);
        plan.tables().forEach(t -> intended.add(t.qualified()));
        evidence.add(publication(db, plan, intended, findings));
        long started = System.nanoTime();
        ChannelMatrix.Outcome matrix = ChannelMatrix.run(db, plan, graph);
        evidence.add(new Evidence(MATRIX, matrix.passed(), matrix.details(), millisSince(started))
                .with(EvidenceKind.RLS_MATRIX.wrap(matrix.matrix())));

        started = System.nanoTime();
        List<Migration> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        for (Migration m : reversed) {
            if (m.down() == null || m.down().isBlank()) {
                evidence.add(Evidence.notRun(DOWN, m.name() + " has no down script"));
                evidence.add(Evidence.notRun(UP_AGAIN, "the down scripts did not run"));
                return;
            }
            ScriptResult down = db.apply(m.down());
            if (!down.ok()) {
                evidence.add(new Evidence(DOWN, false, "down script of " + m.name() + ": " + down.error().describe(),
                        millisSince(started)));
                findings.add(new Finding(APPLY_FAILED, Severity.ERROR, m.name() + " (down)", down.error().describe(),
                        down.error().error().hint(), down.error().line()));
                return;
            }
        }
        List<String> afterDown = snapshot(db);
        CatalogDiff diff = new CatalogDiff("before the realtime migration", "after its down script", snapshot.size(),
                afterDown.stream().filter(o -> !snapshot.contains(o)).toList(),
                snapshot.stream().filter(o -> !afterDown.contains(o)).toList());
        boolean same = afterDown.equals(snapshot);
        evidence.add(new Evidence(DOWN, same, same ? "the catalog, the policies, the publication and the replica"
                + " identities are as before (" + snapshot.size() + " objects compared)" : "left behind: "
                + diff.leftBehind() + "; missing: " + diff.missing(), millisSince(started))
                .with(EvidenceKind.CATALOG_DIFF.wrap(diff)));
        List<Evidence> again = new ArrayList<>();
        if (apply(db, all, UP_AGAIN, again, findings)) {
            Evidence pub = publication(db, plan, intended, new ArrayList<>());
            Evidence up = again.get(0);
            evidence.add(new Evidence(UP_AGAIN, pub.passed(), up.details() + "; " + pub.details(), up.durationMs()));
        } else {
            evidence.addAll(again);
        }
    }

    /**
     * The publication as intended, and every planned table behind RLS: Postgres Changes hands a row to each subscriber
     * whose role may select it, so a published table without RLS streams every row to every signed-in user.
     */
    private static Evidence publication(SandboxDatabase db, RealtimePlan plan, Set<String> intended,
            List<Finding> findings) {
        long started = System.nanoTime();
        Set<String> actual = published(db);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(intended);
        Set<String> missing = new TreeSet<>(intended);
        missing.removeAll(actual);
        List<String> identity = new ArrayList<>();
        for (RealtimePlan.Published t : plan.tables()) {
            if (t.replicaIdentityFull()) {
                String now = String.valueOf(db.query("select relreplident::text as r from pg_class where oid = ?::regclass",
                        t.sql()).get(0).get("r"));
                if (!now.equals("f")) {
                    identity.add(t.qualified() + " has replica identity " + now + ", not full");
                }
            }
        }
        List<String> open = new ArrayList<>();
        for (RealtimePlan.Published t : plan.tables()) {
            Map<String, Object> rls = db.query(SchemaGraph.sql("table-rls.sql"), t.sql()).get(0);
            if (!Boolean.TRUE.equals(rls.get("rls"))) {
                open.add(t.qualified() + " has row level security off");
                findings.add(new Finding(TABLE_WITHOUT_RLS, Severity.ERROR, t.qualified(), t.qualified() + " is"
                        + " published but has row level security off: every change of every row reaches every"
                        + " subscriber its grants admit", "alter table " + t.sql() + " enable row level security;"
                        + " then a select policy for authenticated says who sees which row (the security specialist"
                        + " writes it).", null));
            } else if (!Boolean.TRUE.equals(rls.get("readable"))) {
                findings.add(new Finding(TABLE_UNREADABLE, Severity.WARN, t.qualified(), t.qualified() + " is"
                        + " published but no select policy applies to authenticated: no signed-in subscriber"
                        + " receives its changes", "Add a select policy to authenticated on " + t.sql() + ".", null));
            }
        }
        boolean ok = extra.isEmpty() && missing.isEmpty() && identity.isEmpty() && open.isEmpty();
        String details = (ok ? "exactly " : "") + actual.size() + " table(s)" + (actual.isEmpty() ? "" : " ("
                + String.join(", ", actual) + ")") + (extra.isEmpty() ? "" : "; not intended: " + String.join(", ", extra))
                + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                + (identity.isEmpty() ? "" : "; " + String.join("; ", identity))
                + (open.isEmpty() ? "" : "; " + String.join("; ", open))
                + (plan.tables().stream().anyMatch(RealtimePlan.Published::replicaIdentityFull)
                ? "; replica identity full on " + String.join(", ", plan.tables().stream()
                .filter(RealtimePlan.Published::replicaIdentityFull).map(RealtimePlan.Published::qualified).toList())
                : "");
        return new Evidence(PUBLICATION, ok, details, millisSince(started));
    }

    private static boolean apply(SandboxDatabase db, List<Migration> migrations, String check, List<Evidence> evidence,
            List<Finding> findings) {
        long millis = 0;
        int statements = 0;
        for (Migration m : migrations) {
            ScriptResult up = db.apply(m.up());
            millis += up.durationMs();
            statements += up.statements().size();
            if (!up.ok()) {
                evidence.add(new Evidence(check, false, "migration " + m.name() + ": " + up.error().describe(), millis));
                findings.add(new Finding(APPLY_FAILED, Severity.ERROR, m.name(), up.error().describe(),
                        up.error().error().hint(), up.error().line()));
                return false;
            }
        }
        evidence.add(new Evidence(check, true, migrations.size() + " migration(s), " + statements
                + " statement(s) applied", millis));
        return true;
    }

    private static List<String> snapshot(SandboxDatabase db) {
        Set<String> items = new LinkedHashSet<>();
        db.query(SCHEMA_SNAPSHOT).forEach(r -> items.add(String.valueOf(r.get("item"))));
        db.query(REALTIME_SNAPSHOT).forEach(r -> items.add(String.valueOf(r.get("item"))));
        return new ArrayList<>(items);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
