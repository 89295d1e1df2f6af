package dev.backendteam.ops.functions;

import dev.backendteam.contract.Evidence;
import dev.backendteam.ops.deployment.check.TypeScriptCheck;
import dev.backendteam.runtime.tools.ProcessRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code deno check} of each function's entrypoint, in a scratch copy of the delivered tree ({@code supabase/…}),
 * offline ({@code --cached-only}) and against the delivered lock ({@code --frozen}). One evidence per function.
 */
public final class DenoCheck {
    private final DenoToolchain deno;

    public DenoCheck(DenoToolchain deno) {
        this.deno = deno;
    }

    /** Deno finds a config by walking up from the working directory, so the functions' one is named. */
    static final String CONFIG = "supabase/functions/deno.json";

    public static String check(String entrypoint) {
        return "deno check: " + entrypoint;
    }

    public List<Evidence> run(Map<String, String> files, List<String> entrypoints) {
        List<Evidence> out = new ArrayList<>();
        if (deno.missing().isPresent()) {
            entrypoints.forEach(e -> out.add(Evidence.notRun(check(e), deno.missing().get())));
            return out;
        }
        Path work = null;
        try {
            work = materialise(files);
            for (String entrypoint : entrypoints) {
                ProcessRun.Result r = ProcessRun.run(command("check", entrypoint), work, deno.timeout());
                String output = strip(r.stdout() + r.stderr());
                if (r.timedOut()) {
                    out.add(new Evidence(check(entrypoint), false, "deno check did not finish within "
                            + deno.timeout(), r.millis()));
                } else if (r.exitCode() == 0) {
                    out.add(new Evidence(check(entrypoint), true, "deno check (offline, --frozen lock) found no"
                            + " type error", r.millis()));
                } else {
                    out.add(new Evidence(check(entrypoint), false, "deno check exited " + r.exitCode() + ":\n"
                            + output.lines().filter(l -> !l.isBlank() && !l.startsWith("Stack backtrace")
                                    && !l.matches("\\s+\\d+: .*")).limit(20).collect(Collectors.joining("\n")),
                            r.millis()));
                }
            }
        } catch (IOException e) {
            entrypoints.forEach(ep -> out.add(Evidence.notRun(check(ep), "could not run deno: " + e.getMessage())));
        } finally {
            TypeScriptCheck.delete(work);
        }
        return out;
    }

    /** {@code env DENO_DIR=… NO_COLOR=1 deno check --config … --frozen --cached-only …}: ProcessRun takes no environment. */
    List<String> command(String sub, String entrypoint, String... more) {
        List<String> cmd = new ArrayList<>(List.of("env", "DENO_DIR=" + deno.denoDir(), "NO_COLOR=1",
                "DENO_NO_UPDATE_CHECK=1", deno.deno().toString(), sub, "--config", CONFIG, "--frozen", "--cached-only"));
        cmd.addAll(List.of(more));
        cmd.add(entrypoint);
        return cmd;
    }

    static Path materialise(Map<String, String> files) throws IOException {
        Path work = Files.createTempDirectory("edge-functions");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = work.resolve(f.getKey()).normalize();
            if (!p.startsWith(work)) {
                throw new IOException("unsafe path " + f.getKey());
            }
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        return work;
    }

    static String strip(String s) {
        return s.replaceAll("\u001B\\[[0-9;]*m", "").strip();
    }
}
