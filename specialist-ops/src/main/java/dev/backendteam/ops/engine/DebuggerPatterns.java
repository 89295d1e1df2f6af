package dev.backendteam.ops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Specialist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The debugger's error catalogue, read from {@code debugger-patterns.yaml}: finds every catalogued error in a log
 * and orders them by first appearance, so that the earliest one (usually the root cause) comes first.
 */
public final class DebuggerPatterns {
    static final String BUNDLED = "debugger-patterns.yaml";
    private static final int MAX_MATCHES_PER_PATTERN = 10_000;
    private static final int MAX_EXCERPT = 200;

    private final List<LogRule> rules;

    private DebuggerPatterns(List<LogRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static DebuggerPatterns bundled() {
        try (InputStream in = DebuggerPatterns.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUNDLED, e);
        }
    }

    /** Reads a catalogue; a rule without id, handoff, summary or patterns, or with a bad regex, is refused. */
    public static DebuggerPatterns parse(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("debugger catalogue is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.path("rules").isArray() || root.path("rules").isEmpty()) {
            throw new IllegalArgumentException("debugger catalogue has no rules");
        }
        List<LogRule> rules = new ArrayList<>();
        for (JsonNode node : root.path("rules")) {
            rules.add(rule(node));
        }
        return new DebuggerPatterns(rules);
    }

    private static LogRule rule(JsonNode node) {
        String id = required(node, "id", "?");
        Specialist handoff;
        try {
            handoff = Specialist.of(required(node, "handoff", id));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule " + id + ": " + e.getMessage(), e);
        }
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode p : node.path("patterns")) {
            try {
                patterns.add(Pattern.compile(p.asText(), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("rule " + id + ": bad pattern " + p.asText(), e);
            }
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " has no patterns");
        }
        String sqlstate = node.hasNonNull("sqlstate") ? node.get("sqlstate").asText() : null;
        return new LogRule(id, sqlstate, handoff, required(node, "summary", id),
                node.hasNonNull("fix") ? node.get("fix").asText() : null, patterns);
    }

    private static String required(JsonNode node, String field, String id) {
        String value = node.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException("rule " + id + " lacks '" + field + "'");
        }
        return value;
    }

    public List<LogRule> rules() {
        return rules;
    }

    /**
     * Every catalogued error in the log, once per rule and object, earliest first (ties: catalogue order). A bare
     * SQLSTATE match is dropped when a message with that SQLSTATE was recognised too: it names the same error.
     */
    public List<Diagnosis> diagnose(String log) {
        List<Candidate> candidates = new ArrayList<>();
        for (LogRule rule : rules) {
            for (Pattern pattern : rule.patterns()) {
                boolean names = pattern.pattern().contains("(?<object>");
                boolean hasParent = pattern.pattern().contains("(?<parent>");
                Matcher m = pattern.matcher(log);
                for (int found = 0; found < MAX_MATCHES_PER_PATTERN && m.find(); found++) {
                    String object = names ? m.group("object") : null;
                    if (object != null && hasParent && m.group("parent") != null) {
                        object = m.group("parent") + "." + object;
                    }
                    candidates.add(new Candidate(rule, object, m.start(), m.group(), !names));
                }
            }
        }
        Set<String> recognisedStates = new HashSet<>();
        for (Candidate c : candidates) {
            if (!c.codeOnly() && c.rule().sqlstate() != null) {
                recognisedStates.add(c.rule().sqlstate());
            }
        }
        Map<String, Candidate> first = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            if (!(c.codeOnly() && recognisedStates.contains(c.rule().sqlstate()))) {
                first.merge(c.rule().id() + "\u0000" + c.object(), c, (a, b) -> b.offset() < a.offset() ? b : a);
            }
        }
        List<Diagnosis> found = new ArrayList<>();
        for (Candidate c : first.values()) {
            found.add(new Diagnosis(c.rule(), c.object(), lineOf(log, c.offset()), c.offset(), excerpt(c.matched())));
        }
        found.sort(Comparator.comparingInt(Diagnosis::offset).thenComparingInt(d -> rules.indexOf(d.rule())));
        return found;
    }

    private record Candidate(LogRule rule, String object, int offset, String matched, boolean codeOnly) {
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String excerpt(String matched) {
        String oneLine = matched.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_EXCERPT ? oneLine : oneLine.substring(0, MAX_EXCERPT) + "…";
    }
}
