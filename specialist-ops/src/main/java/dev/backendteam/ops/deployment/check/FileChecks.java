package dev.backendteam.ops.deployment.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every check of the deployment role over a set of files (path → content): the Dockerfile lint, the JSON Schemas,
 * the lock file against its package.json, tsc on {@code .railway/railway.ts} and actionlint on workflows. Each
 * check is one {@link Evidence}; the Dockerfile lint's violations are findings too.
 */
public final class FileChecks {
    public static final String RAILWAY_TS = ".railway/railway.ts";
    public static final String RAILWAY_PACKAGE = ".railway/package.json";
    public static final String RAILWAY_LOCK = ".railway/package-lock.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerfileLinter linter;
    private final SchemaCheck schemas;
    private final TypeScriptCheck typescript;
    private final WorkflowLint workflows;

    public record Result(List<Evidence> evidence, List<Finding> findings) {
        public boolean anyFailed() {
            return evidence.stream().anyMatch(Evidence::failed);
        }
    }

    public FileChecks(DockerfileLinter linter, SchemaCheck schemas, Toolchain toolchain) {
        this.linter = linter;
        this.schemas = schemas;
        this.typescript = new TypeScriptCheck(toolchain);
        this.workflows = new WorkflowLint(toolchain);
    }

    public static boolean isDockerfile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals("Dockerfile") || name.endsWith(".Dockerfile") || name.startsWith("Dockerfile.");
    }

    public static boolean isWorkflow(String path) {
        return path.matches("(.*/)?\\.github/workflows/[^/]+\\.ya?ml");
    }

    /** Whether the deployment role checks a file at this path (and so replays it in the validation round). */
    public static boolean covers(String path) {
        return isDockerfile(path) || SchemaCheck.schemaFor(path).isPresent() || path.equals(RAILWAY_TS)
                || path.equals(RAILWAY_LOCK);
    }

    public Result run(Map<String, String> files) {
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        files.forEach((path, content) -> {
            if (isDockerfile(path)) {
                long start = System.nanoTime();
                List<Finding> found = linter.lint(path, content);
                findings.addAll(found);
                List<Finding> blocking = found.stream().filter(f -> f.severity() != Severity.INFO).toList();
                evidence.add(new Evidence("dockerfile lint: " + path, blocking.isEmpty(), blocking.isEmpty()
                        ? linter.rules().rules().size() + " rules, no error or warning" + (found.isEmpty() ? ""
                        : " (" + found.size() + " info)") : blocking.size() + " violation(s): " + blocking.stream()
                        .map(f -> f.ruleId() + (f.line() == null ? "" : " (line " + f.line() + ")")).toList(),
                        SchemaCheck.ms(start)));
            }
        });
        files.forEach((path, content) -> {
            if (SchemaCheck.schemaFor(path).isPresent()) {
                evidence.add(schemas.check(path, content));
            }
        });
        if (files.containsKey(RAILWAY_LOCK)) {
            evidence.add(lockMatches(files.get(RAILWAY_PACKAGE), files.get(RAILWAY_LOCK)));
        }
        if (files.containsKey(RAILWAY_TS)) {
            evidence.add(typescript.check(files.get(RAILWAY_TS), files.get(RAILWAY_PACKAGE)));
        }
        files.forEach((path, content) -> {
            if (isWorkflow(path)) {
                evidence.add(workflows.check(path, content));
            }
        });
        return new Result(evidence, findings);
    }

    /** npm ci refuses a lock file whose root does not list the package.json's dependencies at the same specs. */
    static Evidence lockMatches(String packageJson, String lock) {
        String check = "lock file: " + RAILWAY_LOCK + " matches " + RAILWAY_PACKAGE;
        long start = System.nanoTime();
        if (packageJson == null) {
            return new Evidence(check, false, RAILWAY_PACKAGE + " is missing beside its lock file", 0);
        }
        try {
            JsonNode pkg = JSON.readTree(packageJson);
            JsonNode root = JSON.readTree(lock);
            if (root == null || root.path("lockfileVersion").asInt() < 2) {
                return new Evidence(check, false, "not an npm lock file of version 2 or later", SchemaCheck.ms(start));
            }
            JsonNode rootPkg = root.path("packages").path("");
            List<String> problems = new ArrayList<>();
            for (String kind : List.of("dependencies", "devDependencies", "optionalDependencies")) {
                if (!pkg.path(kind).equals(rootPkg.path(kind))) {
                    problems.add(kind + " differ: package.json " + pkg.path(kind) + ", lock " + rootPkg.path(kind));
                }
                pkg.path(kind).fieldNames().forEachRemaining(dep -> {
                    if (root.path("packages").path("node_modules/" + dep).path("version").isMissingNode()) {
                        problems.add(dep + " is not locked");
                    }
                });
            }
            return new Evidence(check, problems.isEmpty(), problems.isEmpty()
                    ? "every dependency is locked at the version package.json names" : String.join("; ", problems),
                    SchemaCheck.ms(start));
        } catch (JsonProcessingException e) {
            return new Evidence(check, false, "does not parse: " + e.getOriginalMessage(), SchemaCheck.ms(start));
        }
    }
}
