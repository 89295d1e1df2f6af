package dev.backendteam.ops.debugger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The debugger's pattern catalogue, read from {@code debugger-patterns.yaml}: finds every catalogued error in a log and
 * picks the root cause among them (the rules for that are the catalogue's header). Also holds the catalogue's other
 * data: what to ask when nothing matched, what build output that succeeded looks like, and what a line must look like
 * for a model to quote it as the error.
 */
public final class DebuggerPatterns {
    static final String BUNDLED = "debugger-patterns.yaml";
    private static final int MAX_MATCHES_PER_PATTERN = 1_000;
    private static final int MAX_EXCERPT = 200;
    private static final String BARE_CODE_PREFIX =
            "\\b(?:sqlstate|sql[ _-]?state|sql-status|error[ _]?code|code)\\W{0,4}";

    /** A question hint for an unclassified log: {@code when} null is the default. */
    public record Ask(Pattern when, String ask) {
    }

    private final List<LogRule> rules;
    private final Map<LogRule, Pattern> bareCodes;
    private final List<Ask> asks;
    private final List<Pattern> success;
    private final List<Pattern> buildFiles;
    private final List<Pattern> errorLines;

    private DebuggerPatterns(List<LogRule> rules, List<Ask> asks, List<Pattern> success, List<Pattern> buildFiles,
            List<Pattern> errorLines) {
        this.rules = List.copyOf(rules);
        this.asks = List.copyOf(asks);
        this.success = List.copyOf(success);
        this.buildFiles = List.copyOf(buildFiles);
        this.errorLines = List.copyOf(errorLines);
        Map<LogRule, Pattern> codes = new LinkedHashMap<>();
        for (LogRule r : rules) {
            if (r.bareCode()) {
                codes.put(r, Pattern.compile(BARE_CODE_PREFIX + Pattern.quote(r.sqlstate()) + "\\b",
                        Pattern.CASE_INSENSITIVE));
            }
        }
        this.bareCodes = codes;
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

    /**
     * Reads a catalogue. Refused: a rule without id, family, classification, owner, summary, root cause, fixes or
     * patterns; a bad regex; an unknown owner or classification value; a duplicate id; two bare-code rules for one
     * SQLSTATE; a {@code supersedes} naming no rule.
     */
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
        Set<String> ids = new HashSet<>();
        Map<String, String> bareCodeOwner = new HashMap<>();
        for (JsonNode node : root.path("rules")) {
            LogRule rule = rule(node);
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("rule " + rule.id() + " is defined twice");
            }
            if (rule.bareCode() && bareCodeOwner.putIfAbsent(rule.sqlstate(), rule.id()) != null) {
                throw new IllegalArgumentException("rules " + bareCodeOwner.get(rule.sqlstate()) + " and " + rule.id()
                        + " both claim the bare SQLSTATE " + rule.sqlstate());
            }
            rules.add(rule);
        }
        for (LogRule rule : rules) {
            for (String s : rule.supersedes()) {
                if (!ids.contains(s)) {
                    throw new IllegalArgumentException("rule " + rule.id() + " supersedes unknown rule " + s);
                }
            }
        }
        List<Ask> asks = new ArrayList<>();
        for (JsonNode a : root.path("unclassified")) {
            asks.add(new Ask(a.hasNonNull("when") ? compile(a.get("when").asText(), "unclassified") : null,
                    required(a, "ask", "unclassified")));
        }
        List<Pattern> success = new ArrayList<>();
        for (JsonNode s : root.path("success")) {
            success.add(compile(s.asText(), "success"));
        }
        List<Pattern> buildFiles = new ArrayList<>();
        for (JsonNode s : root.path("buildFiles")) {
            buildFiles.add(compile(s.asText(), "buildFiles"));
        }
        List<Pattern> errorLines = new ArrayList<>();
        for (JsonNode s : root.path("errorLines")) {
            errorLines.add(compile(s.asText(), "errorLines"));
        }
        return new DebuggerPatterns(rules, asks, success, buildFiles, errorLines);
    }

    private static LogRule rule(JsonNode node) {
        String id = required(node, "id", "?");
        try {
            List<Pattern> patterns = new ArrayList<>();
            for (JsonNode p : node.path("patterns")) {
                patterns.add(compile(p.asText(), id));
            }
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException("rule " + id + " has no patterns");
            }
            String sqlstate = node.hasNonNull("sqlstate") ? node.get("sqlstate").asText() : null;
            boolean bareCode = node.path("bareCode").asBoolean(false);
            if (bareCode && sqlstate == null) {
                throw new IllegalArgumentException("rule " + id + " claims a bare code but has no sqlstate");
            }
            JsonNode c = node.path("classification");
            Classification classification = new Classification(required(c, "category", id),
                    required(c, "layer", id), required(c, "severity", id));
            JsonNode fix = node.path("fix");
            List<String> supersedes = new ArrayList<>();
            node.path("supersedes").forEach(s -> supersedes.add(s.asText()));
            return new LogRule(id, required(node, "family", id), sqlstate, bareCode, classification,
                    Owner.parse(required(node, "owner", id)), node.path("wrapper").asBoolean(false), supersedes,
                    required(node, "summary", id), required(node, "rootCause", id),
                    new LogRule.Remedy(required(fix, "immediate", id), required(fix, "proper", id),
                            required(fix, "preventive", id)),
                    required(node, "verify", id), patterns);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("rule ") ? e
                    : new IllegalArgumentException("rule " + id + ": " + e.getMessage(), e);
        }
    }

    private static Pattern compile(String regex, String where) {
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("rule " + where + ": bad pattern " + regex, e);
        }
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

    public Optional<LogRule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Whether the log says a build succeeded (with nothing catalogued in it, nothing failed). */
    public boolean reportsSuccess(LogText log) {
        return success.stream().anyMatch(p -> p.matcher(log.text()).find());
    }

    /** Whether {@code path} is a file a deployment builds from (pom.xml, package.json, deno.json, a Dockerfile…). */
    public boolean isBuildFile(String path) {
        return path != null && buildFiles.stream().anyMatch(p -> p.matcher(path).find());
    }

    /** Whether {@code line} reads as an error line (the catalogue's {@code errorLines}; none listed: every line does). */
    public boolean readsAsError(String line) {
        return errorLines.isEmpty() || errorLines.stream().anyMatch(p -> p.matcher(line).find());
    }

    /** What to ask for when nothing in the log is catalogued: the first hint whose {@code when} matches. */
    public String askFor(LogText log) {
        for (Ask a : asks) {
            if (a.when() == null || a.when().matcher(log.text()).find()) {
                return a.ask();
            }
        }
        return "the first error line with the lines before it";
    }

    /**
     * Every catalogued error in the log, once per rule and object, in the order they appear (ties: catalogue order).
     * Dropped: a bare SQLSTATE when a message with that SQLSTATE was recognised (it names the same error); a match
     * without an object when its rule also matched one (the same error, named); the rules a matched rule supersedes.
     */
    public List<PatternMatch> find(LogText log) {
        String text = log.text();
        List<PatternMatch> candidates = new ArrayList<>();
        Set<String> recognisedStates = new HashSet<>();
        for (LogRule rule : rules) {
            for (Pattern pattern : rule.patterns()) {
                if (collect(log, rule, pattern, candidates) && rule.sqlstate() != null) {
                    recognisedStates.add(rule.sqlstate());
                }
            }
        }
        for (Map.Entry<LogRule, Pattern> code : bareCodes.entrySet()) {
            if (!recognisedStates.contains(code.getKey().sqlstate())) {
                collect(log, code.getKey(), code.getValue(), candidates);
            }
        }
        Set<String> named = new HashSet<>();
        Set<String> present = new HashSet<>();
        for (PatternMatch c : candidates) {
            present.add(c.rule().id());
            if (c.object() != null) {
                named.add(c.rule().id());
            }
        }
        Set<String> superseded = new HashSet<>();
        for (LogRule r : rules) {
            if (present.contains(r.id())) {
                superseded.addAll(r.supersedes());
            }
        }
        Map<String, PatternMatch> first = new LinkedHashMap<>();
        for (PatternMatch c : candidates) {
            if (superseded.contains(c.rule().id()) || (c.object() == null && named.contains(c.rule().id()))) {
                continue;
            }
            first.merge(c.rule().id() + "\u0000" + c.object(), c, (a, b) -> b.offset() < a.offset() ? b : a);
        }
        List<PatternMatch> found = new ArrayList<>(first.values());
        found.sort(Comparator.comparingInt(PatternMatch::offset).thenComparingInt(m -> rules.indexOf(m.rule())));
        return found;
    }

    /** Adds the pattern's matches; whether there was one. */
    private static boolean collect(LogText log, LogRule rule, Pattern pattern, List<PatternMatch> into) {
        boolean names = pattern.pattern().contains("(?<object>");
        boolean hasParent = pattern.pattern().contains("(?<parent>");
        Matcher m = pattern.matcher(log.text());
        boolean any = false;
        for (int found = 0; found < MAX_MATCHES_PER_PATTERN && m.find(); found++) {
            any = true;
            String object = names ? m.group("object") : null;
            if (object != null && hasParent && m.group("parent") != null) {
                object = m.group("parent") + "." + object;
            }
            // "project x:y:1.0: The following…": the sentence's punctuation is not part of the name.
            object = object == null ? null : object.trim().replaceAll("[.:,;]+$", "");
            into.add(new PatternMatch(rule, object == null || object.isEmpty() ? null : object,
                    log.lineNumber(m.start()), m.start(), m.end(), excerpt(m.group()), log.blockStart(m.start()),
                    log.depth(m.start())));
        }
        return any;
    }

    /**
     * The root cause among the matches: a wrapper (a symptom like "failed to start") only when nothing else matched;
     * then the earliest error block, and within a cause chain its deepest "Caused by:".
     */
    public static Optional<PatternMatch> root(List<PatternMatch> matches) {
        List<PatternMatch> specific = matches.stream().filter(m -> !m.rule().wrapper()).toList();
        List<PatternMatch> pool = specific.isEmpty() ? matches : specific;
        return pool.stream().min(Comparator.comparingInt(PatternMatch::blockStart)
                .thenComparing(Comparator.comparingInt(PatternMatch::depth).reversed())
                .thenComparingInt(PatternMatch::offset));
    }

    private static String excerpt(String matched) {
        String oneLine = matched.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_EXCERPT ? oneLine : oneLine.substring(0, MAX_EXCERPT) + "…";
    }
}
