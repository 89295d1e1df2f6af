package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * The prover used while no sandbox is configured: it runs nothing and says so, with one {@code not_run} evidence per
 * check it would have run, so the report can never show these migrations as applied or rolled back.
 */
public final class NoSandboxProver implements MigrationProver {
    public static final String RULE = "proof.not-run";
    static final String REASON = "no sandbox is configured (BACKEND_TEAM_SANDBOX_ADMIN_URL is not set)";

    @Override
    public Proof prove(ProofPlan plan) {
        if (plan.migrations().isEmpty() && !plan.hasBaseline()) {
            return new Proof(List.of(), List.of());
        }
        List<Evidence> evidence = new ArrayList<>();
        if (plan.hasBaseline()) {
            evidence.add(Evidence.notRun(APPLY_BASELINE, REASON));
        }
        if (!plan.migrations().isEmpty()) {
            evidence.add(Evidence.notRun(APPLY, REASON));
        }
        for (String check : List.of(CATALOG_PRIMARY_KEYS, CATALOG_FOREIGN_KEY_INDEXES, CATALOG_TIMESTAMPTZ,
                CATALOG_UPDATED_AT_TRIGGERS)) {
            evidence.add(Evidence.notRun(check, REASON));
        }
        if (!plan.access().isEmpty() && !plan.migrations().isEmpty()) {
            evidence.add(Evidence.notRun(CATALOG_GRANTS, REASON));
        }
        if (!plan.migrations().isEmpty()) {
            evidence.add(Evidence.notRun(DOWN, REASON));
            evidence.add(Evidence.notRun(UP_AGAIN, REASON));
        }
        if (plan.replay() != null) {
            evidence.add(Evidence.notRun(REPLAY_BEFORE, REASON));
            evidence.add(Evidence.notRun(REPLAY_AFTER, REASON));
        }
        return new Proof(evidence, List.of(Finding.info(RULE, null, REASON + ": the "
                + plan.migrations().size() + " migration(s)" + (plan.hasBaseline() ? " and the given SQL" : "")
                + " were not applied, rolled back or re-applied, and no catalog check ran; nothing here is proven"
                + " by execution")));
    }

    @Override
    public SchemaProbe probe(ProbePlan plan) {
        return SchemaProbe.notRun(REASON);
    }
}
