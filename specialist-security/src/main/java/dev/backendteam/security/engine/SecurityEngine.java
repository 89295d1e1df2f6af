package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The security specialist. Lints, policies and the RLS matrix are not built yet: until they are, it counts the RLS
 * statements in the SQL it was given and in the bundle's migrations, and says so, producing no policy.
 */
public final class SecurityEngine implements SpecialistEngine {

    static final String LINTS = "security lints against the real catalog";
    static final String RLS_MATRIX = "rls matrix: every table x operation x actor, executed";

    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.checked(Evidence.notRun(LINTS, "not built yet: no security lint ran"),
                Evidence.notRun(RLS_MATRIX, "not built yet: no access case was executed"));
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        List<Finding> findings = new ArrayList<>();
        if (task.inputs().hasSql()) {
            findings.add(Finding.info("input.sql", "sql", "SQL given: "
                    + RlsStatementCount.of(task.inputs().sql()).describe()));
        }
        List<Artifact> migrations = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .toList();
        if (!migrations.isEmpty()) {
            RlsStatementCount total = new RlsStatementCount(0, 0);
            for (Artifact migration : migrations) {
                total = total.plus(RlsStatementCount.of(migration.content() == null ? "" : migration.content()));
            }
            findings.add(Finding.info("input.migrations", null, migrations.size()
                    + " earlier migration(s) in the bundle: " + total.describe()));
        }
        if (findings.isEmpty()) {
            findings.add(Finding.info("input.none", null, "no SQL or earlier migration to review"));
        }
        return StepOutcome.notBuilt(findings, "security: RLS lints, policy generation and the RLS matrix are not built"
                + " yet; no policy was produced or checked.");
    }

    @Override
    public Role role() {
        return Role.SECURITY;
    }
}
