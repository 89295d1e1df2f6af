package dev.backendteam.security.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL a security step works on, in the order it applies: the project's existing migrations and the SQL given
 * (the schema as it is), then the bundle's migrations from earlier steps (what the job adds). The security
 * specialist's own earlier migrations are left out of the work step (it rewrites them) and kept in validation.
 */
record SchemaInputs(List<Script> existing, List<Script> added) {

    /** @param producedBy the specialist that wrote it, for the bundle's migrations; null for what exists */
    record Script(String name, String sql, String producedBy) {

        Script(String name, String sql) {
            this(name, sql, null);
        }
    }

    static SchemaInputs of(TaskEvent task, boolean includeOwn) {
        List<Script> existing = new ArrayList<>();
        for (FileInput f : task.inputs().baseMigrations()) {
            existing.add(new Script(f.path(), f.content()));
        }
        if (task.inputs().hasSql()) {
            existing.add(new Script("the SQL given", task.inputs().sql()));
        }
        List<Script> added = new ArrayList<>();
        for (Artifact a : task.artifacts()) {
            if (a.kind() != ArtifactKind.MIGRATION || a.content() == null) {
                continue;
            }
            if (!includeOwn && Specialist.SECURITY.id().equals(a.producedBy())) {
                continue;
            }
            added.add(new Script(a.name() + " (" + a.producedBy() + ")", a.content(), a.producedBy()));
        }
        return new SchemaInputs(existing, added);
    }

    /** The same inputs with the schema read from a target database (a read-only copy) as what exists. */
    SchemaInputs withTarget(String target, String ddl) {
        List<Script> all = new ArrayList<>(existing);
        all.add(new Script("target " + target + " (its schema, read read-only)", ddl));
        return new SchemaInputs(all, added);
    }

    /**
     * A review: no other specialist adds to the schema (security's own migrations aside, which validation replays),
     * so every table of the schema given is the security step's.
     */
    boolean review() {
        return added.stream().allMatch(s -> Specialist.SECURITY.id().equals(s.producedBy()));
    }

    boolean empty() {
        return existing.isEmpty() && added.isEmpty();
    }
}
