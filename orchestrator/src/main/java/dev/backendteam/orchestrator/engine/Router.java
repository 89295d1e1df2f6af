package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.JobInputs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Deterministic router: keywords of the task (and of answers to earlier questions) plus which inputs are present
 * choose a flow. {@code flow} in the request forces one. A tie or no signal at all is unclear: ask, don't guess.
 */
public final class Router {

    public sealed interface Routing permits Routed, Unclear {
    }

    public record Routed(String flow, String reason) implements Routing {
    }

    public record Unclear(String question, String reason) implements Routing {
    }

    private final FlowCatalog catalog;
    private final Map<String, List<Pattern>> keywords = new LinkedHashMap<>();

    public Router(FlowCatalog catalog) {
        this.catalog = catalog;
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
        String text = (task + " " + inputs.clarifications().stream().map(Clarification::answer)
                .collect(Collectors.joining(" "))).toLowerCase(Locale.ROOT);
        Map<String, Integer> scores = new LinkedHashMap<>();
        Map<String, List<String>> why = new LinkedHashMap<>();
        for (Map.Entry<String, FlowCatalog.RoutingRule> rule : catalog.routing().entrySet()) {
            String flow = rule.getKey();
            List<String> reasons = new ArrayList<>();
            int score = 0;
            List<Pattern> patterns = keywords.get(flow);
            for (int i = 0; i < patterns.size(); i++) {
                if (patterns.get(i).matcher(text).find()) {
                    score++;
                    reasons.add("'" + rule.getValue().keywords().get(i) + "'");
                }
            }
            for (Map.Entry<String, Integer> signal : rule.getValue().inputs().entrySet()) {
                if (present(signal.getKey(), inputs)) {
                    score += signal.getValue();
                    reasons.add(signal.getKey() + " given");
                }
            }
            scores.put(flow, score);
            why.put(flow, reasons);
        }
        int best = scores.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> leaders = scores.entrySet().stream().filter(e -> e.getValue() == best && best > 0)
                .map(Map.Entry::getKey).toList();
        if (leaders.size() == 1) {
            String flow = leaders.get(0);
            return new Routed(flow, "matched " + String.join(", ", why.get(flow)) + " (score " + best + ")");
        }
        String reason = leaders.isEmpty() ? "no flow matched the task or its inputs"
                : "flows " + leaders + " matched equally (score " + best + ")";
        return new Unclear(catalog.question(), reason);
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
