package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Finding;

import java.util.List;

/**
 * The prover used while no sandbox is wired into the service: it runs nothing and says so. It returns no evidence,
 * so the report can never show these migrations as applied or rolled back.
 */
public final class NoSandboxProver implements MigrationProver {
    public static final String RULE = "proof.not-run";

    @Override
    public Proof prove(ProofPlan plan) {
        if (plan.migrations().isEmpty() && !plan.hasBaseline()) {
            return new Proof(List.of(), List.of());
        }
        return new Proof(List.of(), List.of(Finding.info(RULE, null, "no sandbox is wired into db-architect: the "
                + plan.migrations().size() + " migration(s)" + (plan.hasBaseline() ? " and the given SQL" : "")
                + " were not applied, rolled back or re-applied, and no catalog check ran; nothing here is proven"
                + " by execution")));
    }
}
