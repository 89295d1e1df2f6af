package dev.backendteam.ops.debugger.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.ops.debugger.DebuggerPatterns;
import dev.backendteam.ops.debugger.LogText;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where no catalogue pattern recognised a log, the model classifies it into one of the catalogue's rules (structured
 * input the engine turns into a diagnosis), with the engine's own calls as tools: {@code check_classification} (the
 * check every answer gets) and {@code find_in_log}. The log reaches the model fenced as data, redacted as the engine
 * scanned it; the model runs nothing and picks no handoff.
 */
public final class LogClassifier {
    public static final String PURPOSE = "ops debugger: classify a log";
    private static final int MAX_LINES = 20;
    private static final int MAX_LINE_CHARS = 300;

    private final ModelSession model;
    private final DebuggerPatterns patterns;
    private final String system = ModelPrompts.system("log-classifier");

    public LogClassifier(ModelSession model, DebuggerPatterns patterns) {
        this.model = model;
        this.patterns = patterns;
    }

    public RepairLoop.Outcome<StructuredDraft.Answer> classify(LogText log, ClassificationCheck check) {
        Function<JsonNode, List<RepairLoop.Problem>> checked = json -> {
            List<RepairLoop.Problem> problems = new ArrayList<>();
            ModelClassification c = ModelClassification.read(json, problems);
            problems.addAll(check.problems(c));
            return problems;
        };
        ModelTool checkTool = ModelTool.of("check_classification", "Checks a classification the way the engine will:"
                + " the rule is in the catalogue, error, object and statement stand in the log, the error is on an"
                + " error line. Returns the problems, or 'ok'.", JsonObjectSchema.builder()
                        .addStringProperty("rule", "a rule id of the catalogue")
                        .addStringProperty("error", "the log's text that shows the error")
                        .addStringProperty("object", "what the error names, from the log")
                        .addStringProperty("statement", "the failing SQL statement, from the log")
                        .addStringProperty("reason", "one line").required("rule", "reason").build(),
                args -> {
                    List<RepairLoop.Problem> problems = checked.apply(args);
                    return problems.isEmpty() ? "ok" : problems.stream().map(p -> "- " + p)
                            .collect(Collectors.joining("\n"));
                });
        ModelTool find = ModelTool.of("find_in_log", "The lines of the whole log that contain a text (case aside), at"
                + " most " + MAX_LINES + ", each with its line number.", JsonObjectSchema.builder()
                        .addStringProperty("text", "the text to look for").required("text").build(),
                args -> Untrusted.fence("log lines", lines(log, check, args.get("text").asText())));
        return StructuredDraft.run(model, PURPOSE, system, ModelPrompts.user(patterns, log), List.of(checkTool, find),
                checked);
    }

    private static String lines(LogText log, ClassificationCheck check, String text) {
        if (text.isBlank()) {
            return "(give a text to look for)";
        }
        Matcher m = Pattern.compile(Pattern.quote(text.strip()), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(log.text());
        List<String> out = new ArrayList<>();
        int lastLine = -1;
        while (out.size() < MAX_LINES && m.find()) {
            int line = log.lineNumber(m.start());
            if (line != lastLine) {
                lastLine = line;
                String whole = check.line(m.start());
                out.add("line " + line + ": " + (whole.length() <= MAX_LINE_CHARS ? whole
                        : whole.substring(0, MAX_LINE_CHARS) + "…"));
            }
        }
        return out.isEmpty() ? "(no line contains it)" : String.join("\n", out);
    }
}
