package dev.backendteam.ops.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Ops deployment (BRIEF §6). Stack detection, the Dockerfile, {@code .railway/railway.ts}, the CI workflow and their
 * validation are not built yet: it lists the files it was given and says so, producing no file.
 */
public final class DeploymentEngine implements SpecialistEngine {
    static final String FILE_CHECKS = "deployment files: schemas, Dockerfile lint and TypeScript checks";
    private static final int LISTED_FILES = 20;


    @Override
    public StepOutcome work(TaskEvent task) {
        List<Finding> findings = new ArrayList<>();
        if (task.inputs().hasFiles()) {
            List<String> paths = task.inputs().files().stream().map(FileInput::path).toList();
            String listed = paths.stream().limit(LISTED_FILES).collect(Collectors.joining(", "));
            findings.add(Finding.info("input.files", null, paths.size() + " file(s) given: " + listed
                    + (paths.size() > LISTED_FILES ? ", …" : "")));
        } else {
            findings.add(Finding.info("input.none", null, "no files given to detect a stack from"));
        }
        return StepOutcome.notBuilt(findings, "ops deployment: stack detection, Dockerfile, Railway configuration, CI"
                + " workflow and their validation are not built yet; no file was produced.");
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.checked(Evidence.notRun(FILE_CHECKS,
                "not built yet: no deployment file was produced or validated"));
    }

    @Override
    public Role role() {
        return Role.DEPLOYMENT;
    }
}
