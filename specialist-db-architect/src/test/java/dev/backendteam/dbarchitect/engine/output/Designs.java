package dev.backendteam.dbarchitect.engine.output;

import dev.backendteam.dbarchitect.engine.DomainSpecValidator;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.design.SchemaDesign;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecReader;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Designs of test specs, failing loudly when a spec is not valid. */
final class Designs {
    private static final DomainSpecValidator VALIDATOR = DomainSpecValidator.standard();

    private Designs() {
    }

    static SchemaDesign of(String yaml) {
        DomainSpecValidator.Validation v = VALIDATOR.validate(DomainSpecReader.read(yaml), ExistingSchema.empty());
        if (!v.valid()) {
            throw new AssertionError("invalid test spec: " + v.problems());
        }
        return v.design();
    }

    static SchemaDesign briefExample() {
        try (InputStream in = Designs.class.getResourceAsStream("/specs/brief-example.yaml")) {
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
