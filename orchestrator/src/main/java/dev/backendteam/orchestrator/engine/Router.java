package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.JobInputs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Deterministic router: keywords of the task (and of answers to earlier questions) plus which inputs are present
 * choose a flow. {@code flow} in the request forces one. A tie or no signal at all is unclear: ask, don't guess.
 *
 * <p>With a {@link TaskMatcher} (the offline embedding model) the words are also compared with example phrasings of
 * each flow, combined as measured best on deploy/bench's labelled tasks (RoutingAccuracy prints the alternatives): a
 * strong match routes whatever the keywords say, because the keywords misroute about a third of the tasks they
 * route, mostly to new-feature on words like "table", "new" or "column"; a weak match lets the keywords route only
 * where its nearest flow is theirs, and otherwise the job asks. Consulting the matcher only on a tie or no keyword
 * kept all of the keywords' misroutes. Inputs are evidence the matcher cannot see: a routing they carry stands. If
 * the matcher is unavailable, the keywords route as without it.
 */
public final class Router {

    public sealed interface Routing permits Routed, Unclear {
    }

    public record Routed(String flow, String reason) implements Routing {
    }

    public record Unclear(String question, String reason) implements Routing {
    }

    /**
     * Each flow's points from keywords and inputs, in catalogue order, with what scored them.
     *
     * @param fromInputs the part of each flow's points that its inputs gave
     */
    public record Scores(Map<String, Integer> points, Map<String, Integer> fromInputs, Map<String, List<String>> why) {
        /** The flows with the highest non-zero score: one is a clear routing, none or several are not. */
        public List<String> leaders() {
            int best = best();
            return points.entrySet().stream().filter(e -> e.getValue() == best && best > 0)
                    .map(Map.Entry::getKey).toList();
        }

        /** The one flow with the highest non-zero score, if there is one. */
        public Optional<String> leader() {
            List<String> leaders = leaders();
            return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
        }

        public int best() {
            return points.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        /** Why the keywords and inputs route, or why they cannot. */
        public String reason() {
            return leader().map(flow -> "matched " + String.join(", ", why.get(flow)) + " (score " + best() + ")")
                    .orElseGet(() -> leaders().isEmpty() ? "no flow matched the task or its inputs"
                            : "flows " + leaders() + " matched equally (score " + best() + ")");
        }
    }

    private final FlowCatalog catalog;
    private final Map<String, List<Pattern>> keywords = new LinkedHashMap<>();
    private final TaskMatcher matcher;
    private final TaskMatcher.Thresholds thresholds;

    /** Keywords and inputs only. */
    public Router(FlowCatalog catalog) {
        this(catalog, null, TaskMatcher.Thresholds.DEFAULTS);
    }

    /** Keywords and inputs, then {@code matcher} (may be null) for what they leave unclear. */
    public Router(FlowCatalog catalog, TaskMatcher matcher) {
        this(catalog, matcher, TaskMatcher.Thresholds.DEFAULTS);
    }

    public Router(FlowCatalog catalog, TaskMatcher matcher, TaskMatcher.Thresholds thresholds) {
        this.catalog = catalog;
        this.matcher = matcher;
        this.thresholds = thresholds;
        catalog.routing().forEach((flow, rule) -> keywords.put(flow,
                rule.keywords().stream().map(Router::keywordPattern).toList()));
    }

    private static Pattern keywordPattern(String keyword) {
        String k = keyword.toLowerCase(Locale.ROOT).trim();
        boolean prefix = k.endsWith("*");
        String word = prefix ? k.substring(0, k.length() - 1) : k;
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + (prefix ? "" : "(?![\\p{L}\\p{N}])"));
    }

    public Routing route(String task, JobInputs inputs, String forcedFlow) {
        if (forcedFlow != null) {
            if (!catalog.knows(forcedFlow)) {
                throw new IllegalArgumentException("unknown flow '" + forcedFlow + "'");
            }
            return new Routed(forcedFlow, "flow '" + forcedFlow + "' was requested");
        }
        for (Clarification c : inputs.clarifications()) {
            String answer = c.answer() == null ? "" : c.answer().trim().toLowerCase(Locale.ROOT);
            if (catalog.knows(answer)) {
                return new Routed(answer, "the answer named flow '" + answer + "'");
            }
        }
        String text = task + " " + inputs.clarifications().stream().map(Clarification::answer)
                .filter(Objects::nonNull).collect(Collectors.joining(" "));
        Scores scores = score(text, inputs);
        Optional<String> byKeywords = scores.leader();
        boolean inputsCarryIt = byKeywords.filter(flow -> scores.fromInputs().get(flow) > 0).isPresent();
        if (matcher == null || inputsCarryIt) {
            return keywordsAlone(scores, "");
        }
        return byExample(text.strip(), scores);
    }

    /** The keyword and input points of each flow for {@code text} (task and answers). */
    public Scores score(String text, JobInputs inputs) {
        String lower = text.toLowerCase(Locale.ROOT);
        Map<String, Integer> points = new LinkedHashMap<>();
        Map<String, Integer> fromInputs = new LinkedHashMap<>();
        Map<String, List<String>> why = new LinkedHashMap<>();
        for (Map.Entry<String, FlowCatalog.RoutingRule> rule : catalog.routing().entrySet()) {
            String flow = rule.getKey();
            List<String> reasons = new ArrayList<>();
            int score = 0;
            int inputPoints = 0;
            List<Pattern> patterns = keywords.get(flow);
            for (int i = 0; i < patterns.size(); i++) {
                if (patterns.get(i).matcher(lower).find()) {
                    score++;
                    reasons.add("'" + rule.getValue().keywords().get(i) + "'");
                }
            }
            for (Map.Entry<String, Integer> signal : rule.getValue().inputs().entrySet()) {
                if (present(signal.getKey(), inputs)) {
                    score += signal.getValue();
                    inputPoints += signal.getValue();
                    reasons.add(signal.getKey() + " given");
                }
            }
            points.put(flow, score);
            fromInputs.put(flow, inputPoints);
            why.put(flow, reasons);
        }
        return new Scores(points, fromInputs, why);
    }

    private Routing keywordsAlone(Scores scores, String note) {
        return scores.leader().<Routing>map(flow -> new Routed(flow, scores.reason() + note))
                .orElseGet(() -> new Unclear(catalog.question(), scores.reason() + note));
    }

    private Routing byExample(String text, Scores scores) {
        Optional<TaskMatcher.Match> found;
        try {
            found = matcher.match(text);
        } catch (TaskMatcher.Unavailable e) {
            return keywordsAlone(scores, "; no example matching: " + e.getMessage());
        }
        if (found.isEmpty()) {
            return keywordsAlone(scores, "");
        }
        TaskMatcher.Match match = found.get();
        String nearest = String.format(Locale.ROOT, "nearest example '%s' (similarity %.2f, %.2f ahead of other flows)",
                match.example(), match.similarity(), match.margin());
        String keywords = "keywords: " + scores.reason();
        if (thresholds.strong(match)) {
            return new Routed(match.flow(), nearest + "; " + keywords);
        }
        Optional<String> byKeywords = scores.leader();
        if (byKeywords.filter(match.flow()::equals).isPresent()) {
            return new Routed(match.flow(), keywords + "; the " + nearest + " agrees, if weakly");
        }
        return new Unclear(catalog.question(), String.format(Locale.ROOT,
                "%s; the %s is of %s, too weak to route on (needs similarity %.2f and %.2f ahead)", keywords, nearest,
                match.flow(), thresholds.minSimilarity(), thresholds.minMargin()));
    }

    private static boolean present(String input, JobInputs inputs) {
        return switch (input) {
            case "spec" -> inputs.hasSpec();
            case "sql" -> inputs.hasSql();
            case "queries" -> inputs.hasQueries();
            case "rowCounts" -> !inputs.rowCounts().isEmpty();
            case "writeRates" -> !inputs.writeRates().isEmpty();
            case "explain" -> inputs.hasExplain();
            case "logs" -> inputs.hasLogs();
            case "files" -> inputs.hasFiles();
            default -> false;
        };
    }
}
