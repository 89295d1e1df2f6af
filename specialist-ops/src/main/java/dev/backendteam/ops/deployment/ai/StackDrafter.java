package dev.backendteam.ops.deployment.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.contract.llm.Untrusted;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the stack detector found no deployable service, the model describes the deployables (structured input the
 * engine renders and checks), with the engine's own calls as tools: {@code list_files}, {@code read_file} (fenced,
 * bounded) and {@code check_deployables} (the check every answer gets, rendering and file checks included). The task
 * and the files reach the model fenced as data; the model renders, runs and deploys nothing.
 */
public final class StackDrafter {
    public static final String PURPOSE = "ops deployment: describe the deployables";
    /** The most of one file a prompt or a read_file carries, and of all files a prompt carries. */
    static final int MAX_FILE_CHARS = 6_000;
    static final int MAX_PROMPT_FILE_CHARS = 24_000;
    static final int MAX_LISTED = 400;

    private final ModelSession model;
    private final String system = Untrusted.systemPrompt(StackDrafter.class,
            "/dev/backendteam/ops/deployment/prompts/stack-drafter.txt");

    public StackDrafter(ModelSession model) {
        this.model = model;
    }

    public RepairLoop.Outcome<StructuredDraft.Answer> draft(String task, Map<String, String> files,
            StackDraftCheck check) {
        ModelTool list = ModelTool.of("list_files", "The paths of the files given, with their sizes in characters.",
                JsonObjectSchema.builder().build(), args -> Untrusted.fence("file list", listing(files)));
        ModelTool read = ModelTool.of("read_file", "One file's content (at most " + MAX_FILE_CHARS + " characters).",
                JsonObjectSchema.builder().addStringProperty("path", "a path of the file list").required("path")
                        .build(), args -> {
                    String path = args.get("path").asText();
                    String content = files.get(path);
                    return content == null ? "error: there is no file " + StackDraftCheck.bounded(path)
                            + " among the files given; list_files lists them"
                            : Untrusted.fence("file " + path, bounded(content, MAX_FILE_CHARS));
                });
        ModelTool checkTool = ModelTool.of("check_deployables", "Checks a description of the services the way the"
                + " engine will (fields, kind, directory and build file among the files, port, health path, env"
                + " names, no secret values), renders their Dockerfiles and railway.ts and runs the file checks."
                + " Returns the problems, or 'ok'.", JsonObjectSchema.builder()
                        .addProperty("services", JsonArraySchema.builder().description("the services, as in the"
                                + " answer").items(JsonObjectSchema.builder().build()).build())
                        .addStringProperty("reason", "one line").required("services").build(),
                args -> {
                    List<RepairLoop.Problem> problems = check.problems(args);
                    return problems.isEmpty() ? "ok" : Untrusted.fence("problems the engine found", problems.stream()
                            .map(p -> "- " + p).collect(Collectors.joining("\n")));
                });
        return StructuredDraft.run(model, PURPOSE, system, user(task, files), List.of(list, read, checkTool),
                check::problems);
    }

    /** The task, the file list and as much of the files as fits, each fenced as data. */
    static String user(String task, Map<String, String> files) {
        StringBuilder s = new StringBuilder("The task:\n").append(Untrusted.fence("task", task == null ? ""
                : bounded(task, MAX_FILE_CHARS))).append('\n');
        s.append("The files given (").append(files.size()).append("):\n")
                .append(Untrusted.fence("file list", listing(files))).append('\n');
        int budget = MAX_PROMPT_FILE_CHARS;
        for (Map.Entry<String, String> f : files.entrySet()) {
            String content = f.getValue() == null ? "" : f.getValue();
            if (budget <= 0) {
                s.append("[the other files are left out here: use read_file]\n");
                break;
            }
            String shown = bounded(content, Math.min(MAX_FILE_CHARS, budget));
            budget -= shown.length();
            s.append(Untrusted.fence("file " + f.getKey(), shown)).append('\n');
        }
        return s.append("No deployable service was detected in these files. Answer with the description of the"
                + " services to deploy as one JSON object.").toString();
    }

    private static String listing(Map<String, String> files) {
        String list = files.entrySet().stream().limit(MAX_LISTED).map(e -> e.getKey() + " (" + (e.getValue() == null
                ? 0 : e.getValue().length()) + " characters)").collect(Collectors.joining("\n"));
        return files.size() > MAX_LISTED ? list + "\n[… " + (files.size() - MAX_LISTED) + " more]" : list;
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "\n[… " + (text.length() - max)
                + " characters left out]";
    }
}
