package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;

import java.util.List;

/**
 * What to prove: {@code base} (the user's existing schema: the project's migrations, then the SQL given; may be
 * empty) is applied first, in order, and stays; then the migrations in order. The down scripts are rolled back in
 * reverse to the state after the base. {@code grants} is the grant model to prove under ({@code explicit},
 * {@code legacy}, or null for the sandbox's default); {@code access} the tables whose grants are checked against
 * their markers; {@code replay}, when a diagnosis is being fixed, the statement to replay before and after the fix.
 * {@code label} names the sandbox database (job, step) for operators.
 */
public record ProofPlan(String label, List<ExistingSchema.Script> base, List<Migration> migrations, String grants,
        List<TableAccess> access, Replay replay) {

    /**
     * A diagnosis to prove fixed: the failing {@code statement} (may be null) is replayed after the migrations before
     * {@code fixFrom} (it must fail with {@code sqlState}) and after all of them (it must resolve), and {@code object}
     * (may be null) must be absent before and present after.
     */
    public record Replay(String statement, String sqlState, CatalogObject object, int fixFrom) {
    }

    public ProofPlan {
        base = List.copyOf(base);
        migrations = List.copyOf(migrations);
        access = access == null ? List.of() : List.copyOf(access);
    }

    public ProofPlan(String label, List<ExistingSchema.Script> base, List<Migration> migrations, String grants,
            List<TableAccess> access) {
        this(label, base, migrations, grants, access, null);
    }

    /** A baseline of one script (may be null) and the migrations, under the sandbox's default grant model. */
    public ProofPlan(String label, String baselineName, String baseline, List<Migration> migrations) {
        this(label, baseline == null || baseline.isBlank() ? List.of()
                : List.of(new ExistingSchema.Script(baselineName, baseline)), migrations, null, List.of());
    }

    public boolean hasBaseline() {
        return !base.isEmpty();
    }
}
