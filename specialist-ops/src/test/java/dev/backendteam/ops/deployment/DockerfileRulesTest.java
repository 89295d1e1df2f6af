package dev.backendteam.ops.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Finding;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;
import dev.backendteam.ops.deployment.docker.DockerfileRule;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile catalogue, rule by rule (cases in deployment/dockerfile-cases.yaml): the positive case raises the rule
 * at the listed lines with the catalogue's fix, the near miss does not, and the positive with that fix applied is clear.
 */
class DockerfileRulesTest {
    private static final DockerfileLinter LINTER = DockerfileLinter.standard();

    private static JsonNode cases() throws IOException {
        try (InputStream in = DockerfileRulesTest.class.getResourceAsStream("/deployment/dockerfile-cases.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    private static List<Finding> of(String rule, String dockerfile) {
        return LINTER.lint("Dockerfile", dockerfile).stream().filter(f -> f.ruleId().equals(rule)).toList();
    }

    @Test
    void everyRuleHasItsCasesAndNoCaseLacksARule() throws IOException {
        Set<String> rules = LINTER.rules().rules().stream().map(DockerfileRule::id)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> cased = new TreeSet<>();
        cases().fieldNames().forEachRemaining(cased::add);
        assertEquals(rules, cased);
    }

    @TestFactory
    List<DynamicTest> eachRuleFiresClearsAndIsFixed() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode all = cases();
        all.fieldNames().forEachRemaining(id -> {
            JsonNode c = all.get(id);
            DockerfileRule rule = LINTER.rules().rule(id);
            List<JsonNode> positives = new ArrayList<>();
            positives.add(c.get("positive"));
            c.path("more").forEach(positives::add);
            tests.add(DynamicTest.dynamicTest(id, () -> {
                for (JsonNode p : positives) {
                    List<Finding> found = of(id, p.get("dockerfile").asText());
                    List<Integer> lines = new ArrayList<>();
                    p.get("lines").forEach(l -> lines.add(l.asInt()));
                    assertEquals(lines, found.stream().map(Finding::line).toList(), id + " positive: " + found);
                    for (Finding f : found) {
                        assertEquals(rule.severity(), f.severity());
                        assertFalse(f.fix().contains("{") && f.fix().contains("}") && f.fix().matches(".*\\{[a-z]+}.*"),
                                "unfilled template in " + f.fix());
                        assertFalse(f.message().matches(".*\\{[a-z]+}.*"), "unfilled template in " + f.message());
                    }
                }
                assertTrue(of(id, c.get("negative").get("dockerfile").asText()).isEmpty(), id + " negative");
                assertTrue(of(id, c.get("fixed").get("dockerfile").asText()).isEmpty(), id + " fixed");
            }));
        });
        return tests;
    }
}
