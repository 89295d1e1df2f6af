package dev.backendteam.ops.debugger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The labelled corpus ({@code debugger/cases.yaml}) through the engine, as a bug job would run it: the accuracy of the
 * classification (root rule, category and severity all right) and of the owner (the handoff's target, or none) is
 * printed and must reach 90 % each; every rule of the catalogue has a positive case and a near miss.
 */
class DebuggerCorpusTest {
    private static final double THRESHOLD = 0.90;
    private final DebuggerPatterns patterns = DebuggerPatterns.bundled();
    private final DebuggerEngine engine = new DebuggerEngine(patterns);

    private static JsonNode corpus() throws IOException {
        try (InputStream in = DebuggerCorpusTest.class.getResourceAsStream("/debugger/cases.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    private StepOutcome bugJob(String log) {
        return engine.work(new TaskEvent(Contract.VERSION, "t", "job", 1, 1, Specialist.OPS, "debugger",
                TaskKind.WORK, "it fails", new JobInputs(null, null, null, null, log, null, null, null), List.of(),
                0, null));
    }

    private static String owner(StepOutcome outcome) {
        if (outcome.handoff() == null) {
            return "none";
        }
        String role = outcome.handoff().role();
        return outcome.handoff().service().id() + (role == null ? "" : "(" + role + ")");
    }

    @Test
    void theCorpusIsClassifiedAndOwnedAtLeastNinetyPercentRight() throws IOException {
        JsonNode corpus = corpus();
        int total = 0;
        int classified = 0;
        int owned = 0;
        List<String> misses = new ArrayList<>();
        for (JsonNode c : corpus.path("cases")) {
            total++;
            StepOutcome outcome = bugJob(c.path("log").asText());
            Diagnosis d = outcome.handoff() != null ? outcome.handoff().diagnosis() : null;
            String rule = outcome.findings().stream().filter(f -> patterns.rule(f.ruleId()).isPresent())
                    .map(f -> f.ruleId()).findFirst().orElse("unclassified");
            LogRule found = patterns.rule(rule).orElse(null);
            boolean classOk = rule.equals(c.path("rule").asText()) && found != null
                    && found.classification().category().equals(c.path("category").asText())
                    && found.classification().severity().equals(c.path("severity").asText());
            boolean ownerOk = owner(outcome).equals(c.path("owner").asText());
            if (c.hasNonNull("object")) {
                String object = outcome.findings().stream().filter(f -> f.ruleId().equals(rule)).findFirst()
                        .map(f -> f.object()).orElse(null);
                classOk &= c.path("object").asText().equals(object);
            }
            if (d != null) {
                ownerOk &= d.rule().equals(rule) && d.category() != null && d.severity() != null;
            }
            classified += classOk ? 1 : 0;
            owned += ownerOk ? 1 : 0;
            if (!classOk || !ownerOk) {
                misses.add(c.path("name").asText() + ": expected " + c.path("rule").asText() + " → "
                        + c.path("owner").asText() + ", got " + rule + " → " + owner(outcome));
            }
        }
        for (JsonNode c : corpus.path("unclassified")) {
            total++;
            StepOutcome outcome = bugJob(c.path("log").asText());
            boolean unclassified = outcome.status() == ResultStatus.NEEDS_INPUT
                    && outcome.findings().stream().anyMatch(f -> f.ruleId().equals("debugger.unclassified"))
                    && outcome.question() != null && outcome.question().startsWith(DebuggerEngine.QUESTION_OPENING);
            classified += unclassified ? 1 : 0;
            owned += outcome.handoff() == null ? 1 : 0;
            if (!unclassified || outcome.handoff() != null) {
                misses.add(c.path("name").asText() + ": expected unclassified with a question, got "
                        + outcome.status() + " " + outcome.findings().stream().map(f -> f.ruleId()).toList());
            }
        }
        double classAccuracy = (double) classified / total;
        double ownerAccuracy = (double) owned / total;
        System.out.printf("debugger corpus: %d excerpts (%d catalogued, %d unclassified); classification %d/%d = %.1f %%,"
                        + " owner %d/%d = %.1f %% (a classification counts when rule, category, severity and the named"
                        + " object are all right)%n", total, corpus.path("cases").size(),
                corpus.path("unclassified").size(), classified, total, 100 * classAccuracy, owned, total,
                100 * ownerAccuracy);
        misses.forEach(m -> System.out.println("  miss: " + m));
        assertTrue(corpus.path("cases").size() >= 50, "at least 50 catalogued excerpts");
        assertTrue(corpus.path("unclassified").size() >= 10, "at least 10 unclassified excerpts");
        assertTrue(classAccuracy >= THRESHOLD, "classification accuracy " + classAccuracy + ": " + misses);
        assertTrue(ownerAccuracy >= THRESHOLD, "owner accuracy " + ownerAccuracy + ": " + misses);
    }

    @Test
    void everyRuleHasAPositiveCaseAndANearMissThatItDoesNotMatch() throws IOException {
        JsonNode corpus = corpus();
        Set<String> positive = new HashSet<>();
        corpus.path("cases").forEach(c -> positive.add(c.path("rule").asText()));
        Set<String> nearMiss = new HashSet<>();
        List<String> matchedNearMisses = new ArrayList<>();
        for (JsonNode n : corpus.path("nearMisses")) {
            String rule = n.path("rule").asText();
            assertTrue(patterns.rule(rule).isPresent(), "near miss of unknown rule " + rule);
            nearMiss.add(rule);
            LogText log = LogText.of(n.path("log").asText(), DebuggerEngine.DEFAULT_MAX_LOG_CHARS);
            if (patterns.find(log).stream().anyMatch(m -> m.rule().id().equals(rule))) {
                matchedNearMisses.add(rule + ": " + n.path("log").asText());
            }
        }
        Set<String> noPositive = new TreeSet<>();
        Set<String> noNearMiss = new TreeSet<>();
        for (LogRule r : patterns.rules()) {
            if (!positive.contains(r.id())) {
                noPositive.add(r.id());
            }
            if (!nearMiss.contains(r.id())) {
                noNearMiss.add(r.id());
            }
        }
        assertEquals(Set.of(), noPositive, "rules without a positive case");
        assertEquals(Set.of(), noNearMiss, "rules without a near miss");
        assertEquals(List.of(), matchedNearMisses, "near misses a rule matched");
    }
}
