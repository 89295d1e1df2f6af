package dev.backendteam.ops.functions;

import dev.backendteam.ops.deployment.render.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Deno from the ops toolchain ({@code node_modules/deno/deno}, npm package {@code deno} with its platform binary) and
 * the module cache {@code deno-dir} that {@code toolchain/install.sh} fills with {@code deno install --frozen} from the
 * very {@code deno.lock} the role delivers. Checks run with {@code --cached-only --frozen}: nothing is fetched at run
 * time, and a lock that does not match {@code deno.json} fails. {@link #missing()} says why a check cannot run.
 */
public record DenoToolchain(Path deno, Path denoDir, Duration timeout) {

    public static DenoToolchain at(Path toolchainDir, Duration timeout) {
        return new DenoToolchain(toolchainDir.resolve("node_modules/deno/deno"), toolchainDir.resolve("deno-dir"),
                timeout);
    }

    public Optional<String> missing() {
        if (!Files.isExecutable(deno)) {
            return Optional.of("Deno is not installed (" + deno + " absent): run toolchain/install.sh (the module's"
                    + " Maven build does), or point backend-team.ops.toolchain at an installed copy");
        }
        if (!Files.isDirectory(denoDir.resolve("npm"))) {
            return Optional.of("the functions' npm modules are not cached (" + denoDir + " has no npm/): run"
                    + " toolchain/install.sh, which runs deno install --frozen from the delivered deno.lock");
        }
        // a cache filled from another lock lacks what this one pins: --cached-only would then fail the function
        Path stamp = denoDir.resolve(STAMP);
        try {
            if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(deliveredLock())) {
                return Optional.of("Deno's cache is stale: rerun install.sh (" + stamp + " is not the deno.lock"
                        + " this role delivers)");
            }
        } catch (IOException e) {
            return Optional.of("Deno's cache stamp " + stamp + " cannot be read (" + e.getMessage() + "): rerun"
                    + " install.sh");
        }
        return Optional.empty();
    }

    /** Written by install.sh after a successful {@code deno install}: the lock the cache was filled from. */
    static final String STAMP = ".installed-from-deno.lock";

    static String deliveredLock() {
        return Template.text(FunctionWriter.TEMPLATES, "deno.lock");
    }
}
