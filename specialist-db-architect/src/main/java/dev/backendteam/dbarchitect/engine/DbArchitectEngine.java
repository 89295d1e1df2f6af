package dev.backendteam.dbarchitect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The db-architect specialist. Migrations, types, diagrams and lints are not built yet: until they are, it reports
 * what it was given (a spec's entities, a script's statements, the bundle's migrations) and says so, producing no
 * SQL.
 */
public final class DbArchitectEngine implements SpecialistEngine {
    private static final int LISTED = 20;

    @Override
    public Specialist specialist() {
        return Specialist.DB_ARCHITECT;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        JobInputs inputs = task.inputs();
        List<Finding> findings = new ArrayList<>();
        if (inputs.hasSpec()) {
            findings.add(describeSpec(inputs.spec()));
        }
        if (inputs.hasSql()) {
            String sql = inputs.sql();
            findings.add(Finding.info("input.sql", "sql", "SQL of " + SqlStatements.count(sql) + " statement(s) in "
                    + sql.lines().filter(l -> !l.isBlank()).count() + " non-blank line(s)"));
        }
        List<String> migrations = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .map(Artifact::name).toList();
        if (!migrations.isEmpty()) {
            findings.add(Finding.info("input.migrations", null, migrations.size()
                    + " earlier migration(s) in the bundle: " + list(migrations)));
        }
        if (findings.isEmpty()) {
            findings.add(Finding.info("input.none", null,
                    "no domain spec, SQL or earlier migration to work from; only the task text"));
        }
        findings.add(Finding.info("capability.not-built", null, "db-architect: migrations with down scripts,"
                + " TypeScript types, the ER diagram and the migration lints are not built yet; no SQL was"
                + " produced."));
        return StepOutcome.succeeded(List.of(), findings, List.of(), null);
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.no-proofs", null,
                "db-architect has no proofs yet: the bundle was not applied to a sandbox, so this validation ran no"
                        + " check")), List.of(), null);
    }

    private static Finding describeSpec(JsonNode spec) {
        JsonNode entities = spec.path("entities");
        if (!entities.isArray()) {
            return Finding.info("input.spec", "spec", "domain spec without an 'entities' list");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode entity : entities) {
            names.add(entity.path("name").asText("(unnamed)"));
        }
        return Finding.info("input.spec", "spec", "domain spec with " + names.size() + " entit"
                + (names.size() == 1 ? "y" : "ies") + (names.isEmpty() ? "" : ": " + list(names)));
    }

    private static String list(List<String> names) {
        return names.stream().limit(LISTED).collect(Collectors.joining(", ")) + (names.size() > LISTED ? ", …" : "");
    }
}
