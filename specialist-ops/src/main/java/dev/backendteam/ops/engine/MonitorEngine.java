package dev.backendteam.ops.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops monitor (BRIEF §6). Read-only diagnostics against a target database are not built yet: it names the target it
 * was given and says so, contacting no database.
 */
public final class MonitorEngine implements SpecialistEngine {
    static final String DIAGNOSTICS = "monitor diagnostics of the target database";

    @Override
    public StepOutcome work(TaskEvent task) {
        List<Finding> findings = new ArrayList<>();
        String target = task.inputs().target();
        if (target != null && !target.isBlank()) {
            findings.add(Finding.info("input.target", target, "target database '" + target + "' named"));
        } else {
            findings.add(Finding.info("input.none", null, "no target database named"));
        }
        StepOutcome shell = StepOutcome.notBuilt(findings, "ops monitor: read-only diagnostics against a target"
                + " database are not built yet; no database was contacted.");
        // the report's evidence says the diagnostics did not run, and why, never that the database is healthy
        Evidence diagnostics = Evidence.notRun(DIAGNOSTICS, target != null && !target.isBlank()
                ? "the monitor's diagnostics are not built yet: target " + target + " was not contacted"
                : "no target database: the monitor reads a live database (read-only), and this job names none");
        return StepOutcome.succeeded(List.of(), shell.findings(), List.of(diagnostics), null);
    }

    /** Diagnostics deliver no artifact: there is nothing to replay. */
    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                "the monitor delivers diagnostics, no artifact: nothing to replay")), List.of(), null);
    }

    @Override
    public Role role() {
        return Role.MONITOR;
    }
}
