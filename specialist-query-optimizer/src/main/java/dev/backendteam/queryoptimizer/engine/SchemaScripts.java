package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The schema a step loads, in the order it applies: the project's migrations and the SQL given, then the bundle's
 * migrations of earlier steps; the optimizer's own index migrations apart, since the validation round applies them
 * only once the data is there.
 */
record SchemaScripts(List<Script> scripts, List<Artifact> own) {
    /** How a script read from a target database is named. */
    static final String TARGET = "target ";

    record Script(String name, String sql) {
    }

    static SchemaScripts of(TaskEvent task) {
        List<Script> scripts = new ArrayList<>();
        for (FileInput f : task.inputs().baseMigrations()) {
            scripts.add(new Script(f.path(), f.content()));
        }
        if (task.inputs().hasSql()) {
            scripts.add(new Script("the SQL given", task.inputs().sql()));
        }
        List<Artifact> own = new ArrayList<>();
        for (Artifact a : task.artifacts()) {
            if (a.kind() != ArtifactKind.MIGRATION || a.content() == null) {
                continue;
            }
            if (Specialist.QUERY_OPTIMIZER.id().equals(a.producedBy())) {
                own.add(a);
            } else {
                scripts.add(new Script(a.name() + " (" + a.producedBy() + ")", a.content()));
            }
        }
        return new SchemaScripts(scripts, own);
    }

    SchemaScripts withTarget(String target, String ddl) {
        List<Script> all = new ArrayList<>();
        all.add(new Script(TARGET + target + " (its schema, read read-only)", ddl));
        all.addAll(scripts);
        return new SchemaScripts(all, own);
    }

    boolean empty() {
        return scripts.isEmpty();
    }

    /** Indexes the bundle's earlier migrations create: one a new index makes redundant is replaced, not kept. */
    static Set<String> bundleIndexes(TaskEvent task) {
        Set<String> names = new LinkedHashSet<>();
        for (Artifact a : task.artifacts()) {
            if (a.kind() == ArtifactKind.MIGRATION && !Specialist.QUERY_OPTIMIZER.id().equals(a.producedBy())) {
                names.addAll(IndexMigrations.created(a.content()));
            }
        }
        return names;
    }
}
