package dev.backendteam.security.engine.lint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The catalogue, rule by rule, against a real PostgreSQL: every rule's positive case finds exactly its objects, its
 * negative case (a near miss) nothing, and its own fix, applied in the positive case's database, clears the finding.
 * The cases are data ({@code lint/cases.yaml}); {@link #everyRuleHasAPositiveANegativeAndAFixCase()} keeps the
 * catalogue from growing a rule without them.
 */
@ExtendWith(PostgresServers.class)
class SecurityLintCatalogueTest {

    @BeforeAll
    static void servers(PostgresServers.Servers servers) {
        LintPostgres.use(servers);
    }

    private static final LintCatalogue CATALOGUE = LintCatalogue.standard();
    private static final SecurityLinter LINTER = new SecurityLinter();
    private static final Map<String, RuleCases> CASES = readCases();

    record Fix(String object, FixKind kind, boolean runAsAdmin) {
    }

    record Case(String name, String sql, List<String> objects, Severity severity,
                Map<String, CaseIntent.Table> intent, Fix fix) {
    }

    record RuleCases(Map<String, CaseIntent.Table> intent, Case positive, Case negative, Fix fix, List<Case> more) {
    }

    private static Map<String, RuleCases> readCases() {
        try (InputStream in = SecurityLintCatalogueTest.class.getResourceAsStream("/lint/cases.yaml")) {
            assertNotNull(in, "lint/cases.yaml");
            return new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<LinkedHashMap<String, RuleCases>>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read lint/cases.yaml", e);
        }
    }

    @Test
    void everyRuleHasAPositiveANegativeAndAFixCase() {
        Set<String> ruleIds = CATALOGUE.rules().stream().map(LintRule::id).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ruleIds, new TreeSet<>(CASES.keySet()), "cases.yaml and rules.yaml name the same rules");
        for (LintRule rule : CATALOGUE.rules()) {
            RuleCases c = CASES.get(rule.id());
            assertNotNull(c.positive(), rule.id() + ": a positive case");
            assertTrue(c.positive().objects() != null && !c.positive().objects().isEmpty(),
                    rule.id() + ": the positive case names the objects it must find");
            assertNotNull(c.negative(), rule.id() + ": a negative case");
            assertNotNull(c.fix(), rule.id() + ": a fix case");
        }
    }

    @Test
    void everyVariantOfEveryRuleHasACaseOfItsSeverity() {
        for (LintRule rule : CATALOGUE.rules()) {
            RuleCases c = CASES.get(rule.id());
            Set<Severity> expected = new TreeSet<>();
            expected.add(rule.severity());
            rule.variants().keySet().forEach(v -> expected.add(rule.resolve(v).severity()));
            Set<Severity> covered = new TreeSet<>();
            Stream.concat(Stream.of(c.positive()), c.more() == null ? Stream.empty() : c.more().stream())
                    .filter(k -> k.severity() != null && k.objects() != null && !k.objects().isEmpty())
                    .forEach(k -> covered.add(k.severity()));
            assertEquals(expected, covered, rule.id() + ": a case per severity the rule can report");
        }
    }

    @TestFactory
    Stream<DynamicNode> rules() {
        return CATALOGUE.rules().stream().map(rule -> {
            RuleCases c = CASES.get(rule.id());
            List<DynamicNode> tests = new ArrayList<>();
            if (c != null) {
                tests.add(DynamicTest.dynamicTest("positive, and its fix", () -> run(rule, c.positive(), c.intent(), c.fix())));
                tests.add(DynamicTest.dynamicTest("negative", () -> run(rule, c.negative(), c.intent(), null)));
                if (c.more() != null) {
                    for (Case more : c.more()) {
                        tests.add(DynamicTest.dynamicTest(more.name(), () -> run(rule, more, c.intent(), more.fix())));
                    }
                }
            }
            return DynamicContainer.dynamicContainer(rule.id(), tests);
        });
    }

    private static void run(LintRule rule, Case k, Map<String, CaseIntent.Table> ruleIntent, Fix fix) {
        LintIntent intent = new CaseIntent(k.intent() != null ? k.intent() : ruleIntent);
        List<String> expected = k.objects() == null ? List.of() : k.objects().stream().sorted().toList();
        try (SandboxDatabase db = LintPostgres.database()) {
            apply(db, k.sql(), "the case's SQL");
            List<Finding> findings = LINTER.lint(db, intent);
            assertNoFailure(findings);
            List<Finding> mine = findings.stream().filter(f -> f.ruleId().equals(rule.id())).toList();
            assertEquals(expected, mine.stream().map(Finding::object).sorted().toList(),
                    rule.id() + " findings: " + mine);
            for (Finding f : mine) {
                if (k.severity() != null) {
                    assertEquals(k.severity(), f.severity(), f.toString());
                }
                assertTrue(f.message() != null && !f.message().isBlank() && !f.message().contains("{"), f.toString());
            }
            if (fix != null) {
                proveFix(db, rule, mine, fix, intent);
            }
        }
    }

    private static void proveFix(SandboxDatabase db, LintRule rule, List<Finding> mine, Fix fix, LintIntent intent) {
        String object = fix.object() != null ? fix.object() : mine.get(0).object();
        Finding finding = mine.stream().filter(f -> f.object().equals(object)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding on " + object + " to fix: " + mine));
        FixKind kind = fix.kind() != null ? fix.kind() : rule.fixKind();
        assertNotNull(finding.fix(), "a fix: " + finding);
        if (kind != FixKind.SQL) {
            assertTrue(finding.fix().startsWith(kind.prefix()), "the fix says it is " + kind.wire() + ": " + finding.fix());
            return;
        }
        assertTrue(Stream.of(FixKind.values()).noneMatch(f -> !f.prefix().isEmpty() && finding.fix().startsWith(f.prefix())),
                "a SQL fix: " + finding.fix());
        if (fix.runAsAdmin()) {
            LintPostgres.asAdmin(db.name(), finding.fix());
        } else {
            apply(db, finding.fix(), "the fix of " + finding);
        }
        List<Finding> after = LINTER.lint(db, intent);
        assertNoFailure(after);
        List<Finding> left = after.stream().filter(f -> f.ruleId().equals(rule.id()) && f.object().equals(object)).toList();
        assertEquals(List.of(), left, "after the fix " + finding.fix());
    }

    private static void apply(SandboxDatabase db, String sql, String what) {
        ScriptResult r = db.apply(sql);
        if (!r.ok()) {
            fail(what + " failed: " + r.error() + "\n" + sql);
        }
    }

    private static void assertNoFailure(List<Finding> findings) {
        List<Finding> failed = findings.stream().filter(f -> f.ruleId().equals(CATALOGUE.failure().id())).toList();
        assertEquals(List.of(), failed, "no lint failed");
    }
}
