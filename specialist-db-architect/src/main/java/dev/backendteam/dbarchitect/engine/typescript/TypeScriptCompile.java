package dev.backendteam.dbarchitect.engine.typescript;

import dev.backendteam.contract.Evidence;
import dev.backendteam.runtime.tools.ProcessRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compiles delivered TypeScript with the real compiler against the pinned {@code @supabase/supabase-js} types: the
 * files are written to a scratch folder as they are laid out in the bundle, with the toolchain's {@code node_modules}
 * beside them, and {@code tsc} runs strict, emitting nothing. The libraries' own declarations are not checked
 * ({@code skipLibCheck}: supabase-js's storage and auth types need Node's and the DOM's); every file given is.
 */
public final class TypeScriptCompile {
    private static final String TSCONFIG = """
            {
              "compilerOptions": {
                "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
                "moduleResolution": "nodenext", "lib": ["es2022", "dom"], "types": [], "skipLibCheck": true,
                "noUnusedLocals": false, "noFallthroughCasesInSwitch": true, "exactOptionalPropertyTypes": false
              },
              "files": %s
            }
            """;
    private final TypeScriptToolchain toolchain;

    public TypeScriptCompile(TypeScriptToolchain toolchain) {
        this.toolchain = toolchain;
    }

    public TypeScriptToolchain toolchain() {
        return toolchain;
    }

    /**
     * Compiles {@code files} (relative path → content; the paths must be plain relative paths); the evidence is named
     * {@code check}. Passed only when tsc ran and exited 0; not_run with the reason when the toolchain is missing.
     */
    public Evidence check(String check, Map<String, String> files) {
        List<String> missing = toolchain.missing();
        if (!missing.isEmpty()) {
            return Evidence.notRun(check, "missing " + String.join(", ", missing) + toolchain.missingHint());
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("db-architect-ts");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path target = work.resolve(f.getKey()).normalize();
                if (!target.startsWith(work) || f.getKey().startsWith("/")) {
                    throw new IllegalArgumentException("not a relative path: " + f.getKey());
                }
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
            }
            String list = files.keySet().stream().filter(p -> p.endsWith(".ts"))
                    .map(p -> "\"" + p.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .collect(Collectors.joining(", ", "[", "]"));
            Files.writeString(work.resolve("tsconfig.json"), TSCONFIG.formatted(list), StandardCharsets.UTF_8);
            Files.createSymbolicLink(work.resolve("node_modules"), toolchain.dir().resolve("node_modules"));
            ProcessRun.Result r = ProcessRun.run(List.of(toolchain.node().toString(), toolchain.tsc().toString(),
                    "-p", "tsconfig.json", "--pretty", "false"), work, toolchain.timeout());
            if (r.timedOut()) {
                return new Evidence(check, false, "tsc did not finish within " + toolchain.timeout(), r.millis());
            }
            String output = (r.stdout() + r.stderr()).strip();
            if (r.exitCode() == 0) {
                return new Evidence(check, true, "tsc (strict, noEmit) compiled " + files.keySet().stream()
                        .filter(p -> p.endsWith(".ts")).count() + " file(s) against @supabase/supabase-js with no error"
                        + (output.isEmpty() ? "" : ": " + output), r.millis());
            }
            String errors = output.lines().limit(20).collect(Collectors.joining("\n"));
            return new Evidence(check, false, "tsc exited " + r.exitCode() + ":\n" + errors, r.millis());
        } catch (IOException e) {
            return Evidence.notRun(check, "could not run tsc: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        // the node_modules link is deleted as a link: walk does not follow symbolic links
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the scratch folder " + dir, e);
        }
    }
}
