package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.dbarchitect.engine.Migration;

import java.util.List;

/**
 * What to prove: {@code baseline} (the user's existing schema, may be null) is applied first and stays; then the
 * migrations in order. The down scripts are rolled back in reverse to the state after the baseline. {@code label}
 * names the sandbox database (job, step) for operators.
 */
public record ProofPlan(String label, String baselineName, String baseline, List<Migration> migrations) {

    public ProofPlan {
        migrations = List.copyOf(migrations);
    }

    public boolean hasBaseline() {
        return baseline != null && !baseline.isBlank();
    }
}
