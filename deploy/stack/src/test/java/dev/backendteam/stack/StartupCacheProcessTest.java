package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service's start-up cache across real starts and stops, on a stand-in JDK 25: its {@code bin/java} is a script
 * that runs {@link StandInService} and, like a training JVM, writes the file named by {@code -XX:AOTCacheOutput=}
 * only after SIGTERM, slowly (first a partial file, then the rest).
 */
class StartupCacheProcessTest {

    static Path standInJdk25(Path dir) throws IOException {
        Path home = ServiceJvmTest.fakeJdk(dir, "25.0.3");
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(home.resolve("bin/java"), """
                #!/bin/sh
                out=""
                for a in "$@"; do case "$a" in -XX:AOTCacheOutput=*) out="${a#-XX:AOTCacheOutput=}";; esac; done
                echo "$@" >> "$ARGS_LOG"
                "%s" -Xmx32m -cp "%s" %s &
                child=$!
                trap 'kill $child; wait $child; if [ -n "$out" ]; then echo partial > "$out"; sleep "$WRITE_SECONDS"; echo done >> "$out"; fi; exit 0' TERM
                wait $child
                """.formatted(realJava, ServiceProcessTest.testClasses(), StandInService.class.getName()));
        Files.setPosixFilePermissions(home.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    static ServiceProcess service(Path tmp, String writeSeconds) throws IOException {
        Path app = ServiceJvmTest.app(tmp.resolve("app"));
        ServiceJvm jvm = new ServiceJvm(standInJdk25(tmp.resolve("jdk25")), ServiceJvm.StartupCache.AUTO);
        return ServiceProcess.quarkusApp("specialist-ops", app.resolve("quarkus-run.jar"), 0,
                        Map.of("ARGS_LOG", tmp.resolve("args.log").toString(), "WRITE_SECONDS", writeSeconds),
                        tmp.resolve("logs/specialist-ops.log"), jvm, tmp.resolve("cache"))
                .withReadyTimeout(Duration.ofSeconds(30));
    }

    static List<String> starts(Path tmp) throws IOException {
        return Files.readAllLines(tmp.resolve("args.log"));
    }

    @Test
    void aTrainingStartIsGivenTimeToWriteItsCacheAndTheNextStartReadsIt(@TempDir Path tmp) throws Exception {
        ServiceProcess service = service(tmp, "2").withStopGrace(Duration.ofMillis(500))
                .withTrainingStopGrace(Duration.ofSeconds(30));
        try {
            service.start();
            assertTrue(service.isTraining());
            Path cache = service.startupCache().orElseThrow();
            assertFalse(Files.exists(cache), "a training JVM writes its cache only at exit");
            assertEquals("2", ServiceProcessTest.get(service.url() + "/env/MALLOC_ARENA_MAX"));

            service.stop(); // the write takes 2 s, more than the ordinary grace, less than the training grace
            assertEquals(List.of("partial", "done"), Files.readAllLines(cache));

            service.start();
            assertFalse(service.isTraining());
            assertEquals(cache, service.startupCache().orElseThrow());
            List<String> starts = starts(tmp);
            assertTrue(starts.get(0).contains("-XX:AOTCacheOutput=" + cache), starts.get(0));
            assertTrue(starts.get(1).contains("-XX:AOTCache=" + cache), starts.get(1));
            assertTrue(starts.get(1).contains("-Xms16m"), starts.get(1));
        } finally {
            service.kill();
        }
    }

    @Test
    void aTrainingStartKilledWhileWritingLeavesNoHalfCache(@TempDir Path tmp) throws Exception {
        ServiceProcess service = service(tmp, "60").withTrainingStopGrace(Duration.ofSeconds(2));
        try {
            service.start();
            Path cache = service.startupCache().orElseThrow();
            service.stop(); // SIGKILL after 2 s, while the "cache" is half written
            assertFalse(service.isAlive());
            assertFalse(Files.exists(cache), "the unfinished cache is deleted");

            service.start();
            assertTrue(service.isTraining(), "so the next start trains again instead of reading half a cache");
        } finally {
            service.kill();
        }
    }
}
