package dev.backendteam.ops.functions;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.backendteam.ops.functions.EdgeFunctionsEngineTest.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toolchain's Deno cache: one filled from another lock than the delivered one is reported stale (the checks
 * not_run), never blamed on the function; and toolchain/install.sh, run on a copy with a stand-in deno, keeps a good
 * cache and the build when {@code deno install} fails (offline), and swaps a complete new cache in when it succeeds.
 */
class DenoToolchainTest {
    private static final String INSTALL = "toolchain/install.sh";

    /** A toolchain folder with a deno (never run: the stale cache stops first) and a cache with the given stamp. */
    private static DenoToolchain toolchain(Path dir, String stamp) throws IOException {
        executable(dir.resolve("node_modules/deno/deno"), "exit 99");
        Files.createDirectories(dir.resolve("deno-dir/npm"));
        if (stamp != null) {
            Files.writeString(dir.resolve("deno-dir/" + DenoToolchain.STAMP), stamp);
        }
        return DenoToolchain.at(dir, Duration.ofSeconds(30));
    }

    @Test
    void aCacheFromAnotherLockOrWithoutAStampIsStaleAndTheDeliveredLocksIsNot(@TempDir Path tmp) throws IOException {
        DenoToolchain other = toolchain(tmp.resolve("other"), DenoToolchain.deliveredLock().replace("4.6.7", "4.6.6"));
        assertTrue(other.missing().orElse("").startsWith("Deno's cache is stale: rerun install.sh"),
                String.valueOf(other.missing()));
        DenoToolchain unstamped = toolchain(tmp.resolve("unstamped"), null);
        assertTrue(unstamped.missing().orElse("").startsWith("Deno's cache is stale"), unstamped.missing().toString());
        assertEquals("", toolchain(tmp.resolve("current"), DenoToolchain.deliveredLock()).missing().orElse(""));
    }

    @Test
    void aStaleCacheMakesTheChecksNotRunAndTheStepSucceedsWithTheReason(@TempDir Path tmp) throws IOException {
        DenoToolchain stale = toolchain(tmp, "an older lock");
        StepOutcome out = new EdgeFunctionsEngine(stale).work(task("Add a Stripe webhook.", null));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        for (Evidence e : out.evidence()) {
            assertEquals(EvidenceStatus.NOT_RUN, e.status(), e.toString());
            assertTrue(e.details().contains("Deno's cache is stale: rerun install.sh"), e.details());
        }
    }

    /** A copy of install.sh's folder layout with stand-ins: npm succeeds, deno runs {@code denoScript}. */
    private static Path layout(Path root, String denoScript) throws IOException {
        Path tc = root.resolve("toolchain");
        Files.createDirectories(tc.resolve("node_modules/deno"));
        Files.copy(Path.of(INSTALL), tc.resolve("install.sh"));
        Files.writeString(tc.resolve("package-lock.json"), "{}");
        Files.writeString(tc.resolve("node_modules/.installed-from-package-lock.json"), "{}");
        executable(tc.resolve("node_modules/deno/deno"), denoScript);
        Path templates = root.resolve("src/main/resources/dev/backendteam/ops/functions/templates");
        Files.createDirectories(templates);
        Files.writeString(templates.resolve("deno.json"), "{}");
        Files.writeString(templates.resolve("deno.lock"), "the new lock");
        executable(root.resolve("bin/npm"), "exit 0");
        Files.createDirectories(tc.resolve("deno-dir/npm"));
        Files.writeString(tc.resolve("deno-dir/npm/good-module"), "cached");
        Files.writeString(tc.resolve("deno-dir/" + DenoToolchain.STAMP), "the old lock");
        return tc;
    }

    private static void executable(Path p, String body) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String stderr) {
    }

    private static Run install(Path tc) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "install.sh").directory(tc.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", tc.getParent().resolve("bin") + ":/usr/bin:/bin");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "install.sh did not finish");
        return new Run(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void anInstallThatFailsOfflineWarnsExitsZeroAndKeepsTheGoodCache(@TempDir Path tmp) throws Exception {
        Path tc = layout(tmp, "echo 'error: failed to fetch https://registry.npmjs.org/zod' >&2\nexit 1");
        Run run = install(tc);
        assertEquals(0, run.exit(), "an offline build must not fail on the Deno cache: " + run.stderr());
        assertTrue(run.stderr().contains("WARNING: deno install --frozen failed"), run.stderr());
        assertEquals("cached", Files.readString(tc.resolve("deno-dir/npm/good-module")), "the good cache is kept");
        assertEquals("the old lock", Files.readString(tc.resolve("deno-dir/" + DenoToolchain.STAMP)),
                "the stamp still names the lock the cache holds (the engine reports it stale)");
        assertFalse(Files.exists(tc.resolve("deno-dir.tmp")));
    }

    @Test
    void aSuccessfulInstallSwapsInTheNewCacheStampedWithItsLock(@TempDir Path tmp) throws Exception {
        Path tc = layout(tmp, "mkdir -p \"$DENO_DIR/npm\" && echo fresh > \"$DENO_DIR/npm/new-module\"");
        Run run = install(tc);
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("fresh\n", Files.readString(tc.resolve("deno-dir/npm/new-module")));
        assertFalse(Files.exists(tc.resolve("deno-dir/npm/good-module")), "the old cache is replaced, not merged");
        assertEquals("the new lock", Files.readString(tc.resolve("deno-dir/" + DenoToolchain.STAMP)));
        assertFalse(Files.exists(tc.resolve("deno-dir.tmp")));
        assertEquals(0, install(tc).exit(), "a second run with the same lock leaves it alone");
        assertEquals("fresh\n", Files.readString(tc.resolve("deno-dir/npm/new-module")));
    }
}
