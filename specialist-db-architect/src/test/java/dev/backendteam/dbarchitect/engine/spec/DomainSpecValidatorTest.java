package dev.backendteam.dbarchitect.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.dbarchitect.engine.DomainSpecValidator;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainSpecValidatorTest {
    private static final DomainSpecValidator VALIDATOR = DomainSpecValidator.standard();

    record Case(String name, String spec, List<String> errors, List<String> warnings) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalidSpecs() throws Exception {
        try (InputStream in = DomainSpecValidatorTest.class.getResourceAsStream("/spec-cases.yaml")) {
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : new YAMLMapper().readTree(in)) {
                cases.add(new Case(c.path("name").asText(), c.path("spec").asText(), texts(c.path("errors")),
                        texts(c.path("warnings"))));
            }
            return cases.stream();
        }
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String resource(String path) throws Exception {
        try (InputStream in = DomainSpecValidatorTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static DomainSpecValidator.Validation validate(String yaml) {
        return VALIDATOR.validate(DomainSpecReader.read(yaml), ExistingSchema.empty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void anInvalidSpecIsReportedAtItsPaths(Case c) {
        DomainSpecValidator.Validation v = validate(c.spec());
        assertEquals(c.errors(), v.errors().stream().map(SpecProblem::text).toList());
        if (!c.warnings().isEmpty()) {
            assertEquals(c.warnings(), v.warnings().stream().map(SpecProblem::text).toList());
        }
        v.errors().forEach(p -> assertNotNull(p.finding().fix(), "every spec error says how to fix it: " + p));
    }

    @Test
    void theBriefsExampleIsValidWithoutWarnings() throws Exception {
        DomainSpecValidator.Validation v = validate(resource("/specs/brief-example.yaml"));
        assertEquals(List.of(), v.problems());
        assertEquals(8, v.spec().entities().size());
        assertEquals(List.of("organization", "membership", "project", "task", "profile", "audit_event", "tag",
                "task_tag"), v.design().tables().stream().map(t -> t.name()).toList());
    }

    @Test
    void tablesComeInDependencyOrderWhateverTheSpecsOrder() {
        DomainSpecValidator.Validation v = validate("""
                entities:
                  - { name: task_tag, manyToMany: [task, tag] }
                  - { name: task, belongsTo: project }
                  - { name: tag }
                  - { name: project }
                """);
        assertTrue(v.valid(), v.problems().toString());
        assertEquals(List.of("tag", "project", "task", "task_tag"), v.design().tables().stream().map(t -> t.name())
                .toList());
    }

    @Test
    void doubtfulButUsableSpecsGiveWarnings() {
        DomainSpecValidator.Validation v = validate("""
                entities:
                  - name: organization
                  - { name: project, tenant: organization }
                  - { name: post, publicRead: true }
                queries:
                  - { name: q, sql: "select * from projects p join auth.users u on u.id = p.user_id" }
                """);
        assertTrue(v.valid(), v.problems().toString());
        assertEquals(List.of("/entities/2/publicRead: publicRead without owner: anyone may read, and only the"
                        + " service role may write",
                "/entities/1/tenant: no entity declares tenantMembership for `organization`, so nothing says who its"
                        + " members are",
                "/queries/0/sql: table `projects` (line 1) is not an entity of the spec or an existing table — did"
                        + " you mean `project`?"),
                v.warnings().stream().map(SpecProblem::text).toList());
    }

    @Test
    void relationsMayTargetTablesThatAlreadyExist() {
        ExistingSchema existing = ExistingSchema.scan(List.of(new ExistingSchema.Script("sql",
                "create table public.post (id bigint generated always as identity primary key, title text);")));
        DomainSpecValidator.Validation v = VALIDATOR.validate(DomainSpecReader.read(
                "entities: [ { name: comment, belongsTo: post, owner: true } ]"), existing);
        assertTrue(v.valid(), v.problems().toString());
        assertEquals("bigint", v.design().table("comment").orElseThrow().column("post_id").orElseThrow().type());
    }

    @Test
    void textThatIsNotYamlOrJsonSaysWhere() {
        DomainSpecReader.InvalidSpecText e = assertThrows(DomainSpecReader.InvalidSpecText.class,
                () -> DomainSpecReader.read("entities:\n  - name: [unclosed\n"));
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void thePublishedSchemaDescribesEveryProperty() throws Exception {
        JsonNode schema = new YAMLMapper().readTree(resource(DomainSpecSchema.RESOURCE));
        JsonNode entity = schema.path("$defs").path("entity").path("properties");
        List<String> undocumented = new ArrayList<>();
        entity.fieldNames().forEachRemaining(name -> {
            JsonNode p = entity.path(name);
            if (!p.has("description") && !name.equals("name")) {
                undocumented.add(name);
            }
        });
        assertEquals(List.of(), undocumented);
        assertTrue(schema.path("description").asText().length() > 100);
        DomainSpecValidator.Validation example = VALIDATOR.validate(schema.path("examples").get(0),
                ExistingSchema.empty());
        assertEquals(List.of(), example.problems(), "the schema's own example is a valid spec");
    }
}
