package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Evidence;

import java.util.List;
import java.util.Optional;

/**
 * What checking a diagnosis against the job's schema found: a {@link Step} before any script and after each one
 * (does the object exist, what the replayed statement does), the catalog after the last script, and the script that
 * failed to apply, if one did. {@code notRun} says why nothing ran (no sandbox); {@code unavailable} why it could not
 * (the sandbox was unreachable: worth a retry).
 */
public record SchemaProbe(List<Step> steps, SchemaCatalog catalog, String failedScript, String failure,
        List<Evidence> evidence, String notRun, String unavailable) {

    /** {@code source} null: before any script. {@code objectExists} null when the object's relation is unknown. */
    public record Step(String source, Boolean objectExists, StatementReplay.Outcome replay) {
    }

    public SchemaProbe {
        steps = List.copyOf(steps);
        evidence = List.copyOf(evidence);
    }

    public static SchemaProbe notRun(String reason) {
        return new SchemaProbe(List.of(), SchemaCatalog.empty(), null, null, List.of(), reason, null);
    }

    public static SchemaProbe unavailable(String reason) {
        return new SchemaProbe(List.of(), SchemaCatalog.empty(), null, null, List.of(), null, reason);
    }

    public boolean ran() {
        return notRun == null && unavailable == null;
    }

    /** The state after every script (before any when there are none). */
    public Step last() {
        return steps.get(steps.size() - 1);
    }

    /**
     * The script after which the statement resolves (or the object exists) for good, having not before it: the one
     * that creates what the diagnosis found missing.
     */
    public Optional<Step> creatingStep() {
        for (int i = steps.size() - 1; i > 0; i--) {
            boolean now = holds(steps.get(i));
            boolean before = holds(steps.get(i - 1));
            if (!now) {
                return Optional.empty();
            }
            if (!before) {
                return Optional.of(steps.get(i));
            }
        }
        return Optional.empty();
    }

    /** The step just before {@code step}. */
    public Step before(Step step) {
        return steps.get(steps.indexOf(step) - 1);
    }

    static boolean holds(Step s) {
        if (s.replay().ran()) {
            return s.replay().resolves();
        }
        return Boolean.TRUE.equals(s.objectExists());
    }
}
