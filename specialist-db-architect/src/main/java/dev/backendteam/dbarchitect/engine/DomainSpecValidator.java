package dev.backendteam.dbarchitect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Severity;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.design.SchemaDesign;
import dev.backendteam.dbarchitect.engine.design.SchemaDesigner;
import dev.backendteam.dbarchitect.engine.spec.DomainSpec;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecSchema;
import dev.backendteam.dbarchitect.engine.spec.SpecChecks;
import dev.backendteam.dbarchitect.engine.spec.SpecProblem;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates a domain spec in three passes, each reporting every problem it finds with its JSON Pointer: the JSON
 * Schema (shape, names, types), then the semantic checks (references, contradictions, reserved words, cycles,
 * queries), then the design (column conflicts, generated names over 63 bytes, defaults of the wrong type). The
 * second and third passes need the first to hold; both always run together, so one answer lists all they find.
 */
public final class DomainSpecValidator {
    private final DomainSpecSchema schema;

    public DomainSpecValidator(DomainSpecSchema schema) {
        this.schema = schema;
    }

    public static DomainSpecValidator standard() {
        return new DomainSpecValidator(DomainSpecSchema.load());
    }

    /** {@code spec} and {@code design} are null when the spec failed its JSON Schema. */
    public record Validation(List<SpecProblem> problems, DomainSpec spec, SchemaDesign design) {

        public boolean valid() {
            return errors().isEmpty();
        }

        public List<SpecProblem> errors() {
            return problems.stream().filter(p -> p.severity() == Severity.ERROR).toList();
        }

        public List<SpecProblem> warnings() {
            return problems.stream().filter(p -> p.severity() == Severity.WARN).toList();
        }
    }

    public Validation validate(JsonNode json, ExistingSchema existing) {
        List<SpecProblem> problems = new ArrayList<>(schema.validate(json));
        if (!problems.isEmpty()) {
            return new Validation(List.copyOf(problems), null, null);
        }
        DomainSpec spec = DomainSpec.from(json);
        problems.addAll(SpecChecks.check(spec, existing));
        SchemaDesigner.Result designed = SchemaDesigner.design(spec, existing);
        problems.addAll(designed.problems());
        return new Validation(List.copyOf(problems), spec, designed.design());
    }
}
