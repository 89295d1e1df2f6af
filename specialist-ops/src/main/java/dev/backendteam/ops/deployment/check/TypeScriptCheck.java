package dev.backendteam.ops.deployment.check;

import dev.backendteam.contract.Evidence;
import dev.backendteam.runtime.tools.ProcessRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Type-checks {@code .railway/railway.ts} with the TypeScript compiler against the pinned railway package's types,
 * in a scratch folder laid out as the repository is ({@code .railway/railway.ts} beside its {@code package.json},
 * {@code node_modules} from the toolchain), strict, emitting nothing. A wrong property or value type fails it.
 */
public final class TypeScriptCheck {
    public static final String CHECK = "tsc: .railway/railway.ts against railway/iac";
    private static final String TSCONFIG = """
            {
              "compilerOptions": {
                "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
                "moduleResolution": "nodenext", "types": [], "skipLibCheck": false
              },
              "files": [".railway/railway.ts"]
            }
            """;
    private final Toolchain toolchain;

    public TypeScriptCheck(Toolchain toolchain) {
        this.toolchain = toolchain;
    }

    public Evidence check(String railwayTs, String railwayPackageJson) {
        List<String> missing = toolchain.missing().stream()
                .filter(m -> m.startsWith("Node") || m.contains("TypeScript") || m.contains("railway")).toList();
        if (!missing.isEmpty()) {
            return Evidence.notRun(CHECK, "missing " + String.join(", ", missing) + toolchain.missingHint());
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("railway-ts");
            Path railway = Files.createDirectories(work.resolve(".railway"));
            Files.writeString(railway.resolve("railway.ts"), railwayTs, StandardCharsets.UTF_8);
            if (railwayPackageJson != null) {
                Files.writeString(railway.resolve("package.json"), railwayPackageJson, StandardCharsets.UTF_8);
            }
            Files.writeString(work.resolve("tsconfig.json"), TSCONFIG, StandardCharsets.UTF_8);
            Files.createSymbolicLink(work.resolve("node_modules"), toolchain.dir().resolve("node_modules"));
            ProcessRun.Result r = ProcessRun.run(List.of(toolchain.node().toString(), toolchain.tsc().toString(),
                    "-p", "tsconfig.json", "--pretty", "false"), work, toolchain.timeout());
            if (r.timedOut()) {
                return new Evidence(CHECK, false, "tsc did not finish within " + toolchain.timeout(), r.millis());
            }
            String output = (r.stdout() + r.stderr()).strip();
            if (r.exitCode() == 0) {
                return new Evidence(CHECK, true, "tsc (strict, noEmit) found no error"
                        + (output.isEmpty() ? "" : ": " + output), r.millis());
            }
            String errors = output.lines().limit(20).collect(Collectors.joining("\n"));
            return new Evidence(CHECK, false, "tsc exited " + r.exitCode() + ":\n" + errors, r.millis());
        } catch (IOException e) {
            return Evidence.notRun(CHECK, "could not run tsc: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    /** Removes a checker's scratch folder (the edge functions' checks use it too). */
    public static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        // the node_modules link is deleted as a link: walk does not follow symbolic links
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove the scratch folder " + dir, e);
        }
    }
}
