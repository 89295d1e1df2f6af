package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which flags and which cache file a service's JVM gets, on fake JDK homes (a release file and a bin/java). */
class ServiceJvmTest {

    static Path fakeJdk(Path dir, String javaVersion) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(dir.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + javaVersion + "\"\n"
                + "JAVA_RUNTIME_VERSION=\"" + javaVersion + "+1\"\n");
        return dir;
    }

    static Path app(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("quarkus-run.jar"), "runner");
        Files.writeString(dir.resolve("lib/dependency.jar"), "dependency");
        return dir;
    }

    @Test
    void readsTheFeatureVersionOfEveryScheme() {
        assertEquals(17, ServiceJvm.featureVersion("17.0.15"));
        assertEquals(21, ServiceJvm.featureVersion("21"));
        assertEquals(25, ServiceJvm.featureVersion("25.0.3"));
        assertEquals(8, ServiceJvm.featureVersion("1.8.0_402"));
        assertThrows(StackException.class, () -> ServiceJvm.featureVersion(""));
    }

    @Test
    void picksCdsOn17To24AndAotFrom25() {
        assertEquals(ServiceJvm.Kind.NONE, ServiceJvm.Kind.forFeatureVersion(11));
        assertEquals(ServiceJvm.Kind.CDS, ServiceJvm.Kind.forFeatureVersion(17));
        assertEquals(ServiceJvm.Kind.CDS, ServiceJvm.Kind.forFeatureVersion(18));
        assertEquals(ServiceJvm.Kind.CDS, ServiceJvm.Kind.forFeatureVersion(19));
        assertEquals(ServiceJvm.Kind.CDS, ServiceJvm.Kind.forFeatureVersion(21));
        assertEquals(ServiceJvm.Kind.CDS, ServiceJvm.Kind.forFeatureVersion(24));
        assertEquals(ServiceJvm.Kind.AOT, ServiceJvm.Kind.forFeatureVersion(25));
        assertEquals(ServiceJvm.Kind.AOT, ServiceJvm.Kind.forFeatureVersion(26));
    }

    @Test
    void jdk17GetsTheMemoryOptionsAndNoCacheWhenItIsOff(@TempDir Path tmp) throws IOException {
        ServiceJvm jvm = new ServiceJvm(fakeJdk(tmp.resolve("jdk17"), "17.0.15"), ServiceJvm.StartupCache.OFF);
        ServiceJvm.Launch launch = jvm.launch("specialist-ops", app(tmp.resolve("app")), tmp.resolve("cache"));
        assertEquals(tmp.resolve("jdk17/bin/java").toString(), launch.command().get(0));
        assertEquals(jvm.memoryOptions(), launch.command().subList(1, launch.command().size()));
        assertEquals(ServiceJvm.MEMORY_OPTIONS, launch.command().subList(1, 1 + ServiceJvm.MEMORY_OPTIONS.size()));
        assertEquals(Optional.empty(), launch.cacheFile());
        assertFalse(launch.training());
        assertFalse(Files.exists(tmp.resolve("cache")), "no cache folder for a JDK without a cache");
    }

    /**
     * JDK 17 writes its archive where it is told and does not check it as it maps it: the training run writes it
     * aside, and it gets its name only once a JVM has mapped it (here a fake java: exit 0 is "mapped", 1 is not).
     */
    @Test
    void jdk17TrainsAnArchiveAsideAndUsesItOnlyOnceAJvmHasMappedIt(@TempDir Path tmp) throws IOException {
        Path home = fakeJdk(tmp.resolve("jdk17"), "17.0.15");
        ServiceJvm jvm = new ServiceJvm(home, ServiceJvm.StartupCache.AUTO);
        Path app = app(tmp.resolve("app"));
        Path cacheDir = tmp.resolve("cache");
        ServiceJvm.Launch first = jvm.launch("specialist-ops", app, cacheDir);
        Path unverified = first.cacheFile().orElseThrow();
        assertTrue(unverified.getFileName().toString().matches("specialist-ops-[0-9a-f]{16}\\.jsa\\.unverified"),
                unverified.toString());
        Path archive = unverified.resolveSibling(unverified.getFileName().toString().replace(".unverified", ""));
        assertTrue(first.training());
        assertTrue(first.command().contains("-XX:ArchiveClassesAtExit=" + unverified));
        assertFalse(first.command().contains("-XX:+AutoCreateSharedArchive"), "JDK 17 does not have it");
        assertFalse(first.command().stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile")));

        // a JVM that cannot map it: deleted, and the next start trains again
        Files.writeString(unverified, "cut short");
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        ServiceJvm.Launch again = jvm.launch("specialist-ops", app, cacheDir);
        assertTrue(again.training());
        assertFalse(Files.exists(unverified), "an archive no JVM maps is deleted");
        assertFalse(Files.exists(archive));

        // one that maps it: renamed, and read from then on
        Files.writeString(unverified, "archive");
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
        ServiceJvm.Launch read = jvm.launch("specialist-ops", app, cacheDir);
        assertFalse(read.training());
        assertEquals(Optional.of(archive), read.cacheFile());
        assertTrue(read.command().contains("-XX:SharedArchiveFile=" + archive));
        assertFalse(read.command().stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit")));
        assertFalse(Files.exists(unverified));
        assertEquals(read.command(), jvm.launch("specialist-ops", app, cacheDir).command(), "read, not trained again");
        assertEquals(Optional.of(archive), jvm.launchShared("specialist-ops", List.of(app), cacheDir).cacheFile());
    }

    /**
     * The check on a real JDK 17: the archive a JVM wrote at exit is taken, the same archive cut in half is not (JDK 17
     * would crash reading it), and the crash leaves no report behind.
     */
    @Test
    void aRealJdk17ArchiveIsTakenAndTheSameArchiveCutShortIsNot(@TempDir Path tmp) throws Exception {
        ServiceJvm jvm = ServiceJvm.launcherDefault();
        org.junit.jupiter.api.Assumptions.assumeTrue(jvm.featureVersion() < 19,
                "JDK 19+ check their archives themselves; CI's JDK is 17");
        Path app = helloApp(tmp.resolve("app"));
        Path cacheDir = tmp.resolve("cache");
        ServiceJvm.Launch training = jvm.launch("hello", app, cacheDir);
        assertTrue(training.training());
        assertEquals("hello", run(training, app));
        Path unverified = training.cacheFile().orElseThrow();
        assertTrue(Files.size(unverified) > 0, "the JVM wrote its archive at exit");
        byte[] whole = Files.readAllBytes(unverified);

        ServiceJvm.Launch read = jvm.launch("hello", app, cacheDir);
        assertFalse(read.training(), "the archive was taken");
        assertEquals("hello", run(read, app));

        Path archive = read.cacheFile().orElseThrow();
        Files.delete(archive);
        Files.write(unverified, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertFalse(jvm.verified(unverified, List.of(app)), "half an archive is refused");
        ServiceJvm.Launch retrain = jvm.launch("hello", app, cacheDir);
        assertTrue(retrain.training());
        assertFalse(Files.exists(unverified));
        try (var left = Files.list(cacheDir)) {
            assertEquals(List.of(), left.toList(), "no archive and no crash report is left");
        }
    }

    /** A packaged app of one class: {@code quarkus-run.jar} prints "hello". */
    private static Path helloApp(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.print(\"hello\"); } }");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", src.toString(), src.resolve("Hello.java").toString()));
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "Hello");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(dir.resolve("quarkus-run.jar")),
                manifest)) {
            jar.putNextEntry(new java.util.jar.JarEntry("Hello.class"));
            jar.write(Files.readAllBytes(src.resolve("Hello.class")));
            jar.closeEntry();
        }
        // the key covers every file of the app folder: only the jar stays
        Files.delete(src.resolve("Hello.class"));
        Files.delete(src.resolve("Hello.java"));
        Files.delete(src);
        return dir;
    }

    private static String run(ServiceJvm.Launch launch, Path app) throws Exception {
        List<String> command = new java.util.ArrayList<>(launch.command());
        command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }

    /** A JVM that refuses an option must not get it: it would not start at all. */
    @Test
    void trimsTheNativeHeapOnlyWhereTheJvmKnowsTheOption(@TempDir Path tmp) throws IOException {
        Path refusing = fakeJdk(tmp.resolve("jdk17-old"), "17.0.2");
        Files.writeString(refusing.resolve("bin/java"), "#!/bin/sh\ncase \"$1\" in -XX:TrimNativeHeapInterval=*) "
                + "echo \"Unrecognized VM option\" >&2; exit 1;; esac\nexit 0\n");
        assertEquals(ServiceJvm.MEMORY_OPTIONS,
                new ServiceJvm(refusing, ServiceJvm.StartupCache.AUTO).memoryOptions());

        Path accepting = fakeJdk(tmp.resolve("jdk17-new"), "17.0.15");
        assertTrue(new ServiceJvm(accepting, ServiceJvm.StartupCache.AUTO).memoryOptions()
                .contains(ServiceJvm.TRIM_NATIVE_HEAP));

        // JDK 22 and newer are not asked: this one's java would refuse everything
        Path jdk25 = fakeJdk(tmp.resolve("jdk25"), "25.0.3");
        Files.writeString(jdk25.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        ServiceJvm modern = new ServiceJvm(jdk25, ServiceJvm.StartupCache.AUTO);
        assertTrue(modern.memoryOptions().contains(ServiceJvm.TRIM_NATIVE_HEAP));
        assertTrue(modern.launch("specialist-ops", app(tmp.resolve("app")), tmp.resolve("cache")).command()
                .contains(ServiceJvm.TRIM_NATIVE_HEAP));
        assertEquals(ServiceJvm.NO_TRAINING_REPLAY, modern.aotReadOptions());

        // a later JDK is asked about the diagnostic option too: gone, it would stop the JVM from starting
        Path jdk26 = fakeJdk(tmp.resolve("jdk26"), "26");
        Files.writeString(jdk26.resolve("bin/java"), "#!/bin/sh\nfor a; do [ \"$a\" = -XX:-AOTReplayTraining ] && exit 1; done\n"
                + "exit 0\n");
        ServiceJvm later = new ServiceJvm(jdk26, ServiceJvm.StartupCache.AUTO);
        assertEquals(List.of(), later.aotReadOptions());
        assertEquals(ServiceJvm.NO_TRAINING_RECORD, later.aotTrainOptions(), "it refuses only the replay option");
        assertTrue(later.memoryOptions().contains(ServiceJvm.TRIM_NATIVE_HEAP));
    }

    @Test
    void jdk21TrainsAndThenUsesADynamicCdsArchive(@TempDir Path tmp) throws IOException {
        ServiceJvm jvm = new ServiceJvm(fakeJdk(tmp.resolve("jdk21"), "21.0.4"), ServiceJvm.StartupCache.AUTO);
        Path app = app(tmp.resolve("app"));
        ServiceJvm.Launch first = jvm.launch("specialist-ops", app, tmp.resolve("cache"));
        Path archive = first.cacheFile().orElseThrow();
        assertTrue(archive.getFileName().toString().matches("specialist-ops-[0-9a-f]{16}\\.jsa"), archive.toString());
        assertTrue(first.training());
        assertTrue(first.command().contains("-XX:+AutoCreateSharedArchive"));
        assertTrue(first.command().contains("-XX:SharedArchiveFile=" + archive));
        assertFalse(first.command().stream().anyMatch(o -> o.startsWith("-XX:AOT")), "JDK 21 has no AOT cache");

        Files.writeString(archive, "archive");
        ServiceJvm.Launch second = jvm.launch("specialist-ops", app, tmp.resolve("cache"));
        assertEquals(first.cacheFile(), second.cacheFile());
        assertFalse(second.training());
    }

    @Test
    void jdk25TrainsAnAotCacheThenReadsIt(@TempDir Path tmp) throws IOException {
        ServiceJvm jvm = new ServiceJvm(fakeJdk(tmp.resolve("jdk25"), "25.0.3"), ServiceJvm.StartupCache.AUTO);
        Path app = app(tmp.resolve("app"));
        ServiceJvm.Launch first = jvm.launch("orchestrator", app, tmp.resolve("cache"));
        Path cache = first.cacheFile().orElseThrow();
        assertTrue(cache.getFileName().toString().matches("orchestrator-[0-9a-f]{16}\\.aot"), cache.toString());
        assertTrue(first.training());
        assertTrue(first.command().contains("-XX:AOTCacheOutput=" + cache));
        assertFalse(first.command().contains("-XX:AOTCache=" + cache));

        Files.writeString(cache, "cache");
        ServiceJvm.Launch second = jvm.launch("orchestrator", app, tmp.resolve("cache"));
        assertFalse(second.training());
        assertTrue(second.command().contains("-XX:AOTCache=" + cache));
        assertFalse(second.command().stream().anyMatch(o -> o.startsWith("-XX:AOTCacheOutput")));
        // the training run compiles as it likes, but keeps no profiles; a start from the cache does not replay any
        assertFalse(first.command().contains("-XX:-AOTReplayTraining"));
        assertTrue(first.command().containsAll(ServiceJvm.NO_TRAINING_RECORD));
        assertTrue(first.command().indexOf("-XX:+UnlockDiagnosticVMOptions")
                < first.command().indexOf("-XX:-AOTRecordTraining"), "the unlock must come first");
        assertFalse(second.command().contains("-XX:-AOTRecordTraining"));
        assertTrue(second.command().containsAll(ServiceJvm.NO_TRAINING_REPLAY));
        assertTrue(second.command().indexOf("-XX:+UnlockDiagnosticVMOptions")
                < second.command().indexOf("-XX:-AOTReplayTraining"), "the unlock must come first");
    }

    @Test
    void aRebuiltAppGetsANewCacheAndTheStaleOneIsDeleted(@TempDir Path tmp) throws IOException {
        ServiceJvm jvm = new ServiceJvm(fakeJdk(tmp.resolve("jdk25"), "25.0.3"), ServiceJvm.StartupCache.AUTO);
        Path app = app(tmp.resolve("app"));
        Path cacheDir = tmp.resolve("cache");
        Path before = jvm.launch("orchestrator", app, cacheDir).cacheFile().orElseThrow();
        Files.writeString(before, "cache of the old build");
        Path otherService = jvm.launch("specialist-ops", app, cacheDir).cacheFile().orElseThrow();
        Files.writeString(otherService, "another service's cache");

        // A rebuild rewrites a jar: same size, newer time.
        Path jar = app.resolve("lib/dependency.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        ServiceJvm.Launch after = jvm.launch("orchestrator", app, cacheDir);

        assertNotEquals(before, after.cacheFile().orElseThrow());
        assertTrue(after.training(), "the rebuilt app trains a cache of its own");
        assertFalse(Files.exists(before), "the stale cache is deleted");
        assertTrue(Files.exists(otherService), "another service's cache is left alone");
    }

    @Test
    void anotherJdkNeverReadsTheCacheOfThisOne(@TempDir Path tmp) throws IOException {
        Path app = app(tmp.resolve("app"));
        Path cacheDir = tmp.resolve("cache");
        ServiceJvm one = new ServiceJvm(fakeJdk(tmp.resolve("a"), "25.0.3"), ServiceJvm.StartupCache.AUTO);
        Path cache = one.launch("orchestrator", app, cacheDir).cacheFile().orElseThrow();
        Files.writeString(cache, "cache");

        ServiceJvm update = new ServiceJvm(fakeJdk(tmp.resolve("b"), "25.0.4"), ServiceJvm.StartupCache.AUTO);
        ServiceJvm.Launch launch = update.launch("orchestrator", app, cacheDir);
        assertNotEquals(cache, launch.cacheFile().orElseThrow());
        assertTrue(launch.training());
        // The same JDK updated in place (same folder, new release file) is another JDK too.
        fakeJdk(tmp.resolve("a"), "25.0.5");
        assertNotEquals(cache, one.launch("orchestrator", app, cacheDir).cacheFile().orElseThrow());
    }

    @Test
    void cacheOffRunsWithoutAnyCacheEvenOn25(@TempDir Path tmp) throws IOException {
        ServiceJvm jvm = new ServiceJvm(fakeJdk(tmp.resolve("jdk25"), "25"), ServiceJvm.StartupCache.OFF);
        ServiceJvm.Launch launch = jvm.launch("orchestrator", app(tmp.resolve("app")), tmp.resolve("cache"));
        assertEquals(Optional.empty(), launch.cacheFile());
        assertFalse(launch.command().stream().anyMatch(o -> o.contains("AOT") || o.contains("SharedArchive")));
    }

    @Test
    void settingsNameAnotherJdkAndTurnTheCacheOff(@TempDir Path tmp) throws IOException {
        Path jdk = fakeJdk(tmp.resolve("jdk25"), "25.0.3");
        assertEquals(ServiceJvm.launcherDefault(), ServiceJvm.fromEnvironment(Map.of()));
        assertEquals(jdk, ServiceJvm.fromEnvironment(Map.of(ServiceJvm.JAVA_SETTING, jdk.toString())).javaHome());
        assertEquals(jdk, ServiceJvm.fromEnvironment(Map.of(ServiceJvm.JAVA_SETTING, jdk.resolve("bin/java")
                .toString())).javaHome());
        ServiceJvm off = ServiceJvm.fromEnvironment(Map.of(ServiceJvm.JAVA_SETTING, jdk.toString(),
                ServiceJvm.CACHE_SETTING, "off"));
        assertEquals(ServiceJvm.StartupCache.OFF, off.cache());
        assertEquals(ServiceJvm.Kind.NONE, off.kind());
        assertEquals(ServiceJvm.Kind.AOT, ServiceJvm.fromEnvironment(Map.of(ServiceJvm.JAVA_SETTING, jdk.toString()))
                .kind());

        StackException noJdk = assertThrows(StackException.class,
                () -> ServiceJvm.fromEnvironment(Map.of(ServiceJvm.JAVA_SETTING, tmp.resolve("nothing").toString())));
        assertTrue(noJdk.getMessage().contains(ServiceJvm.JAVA_SETTING), noJdk.getMessage());
        assertThrows(StackException.class, () -> ServiceJvm.fromEnvironment(Map.of(ServiceJvm.CACHE_SETTING, "yes")));
    }

    @Test
    void theStackConfigCarriesTheServiceJvm(@TempDir Path tmp) throws IOException {
        ServiceJvm jvm = new ServiceJvm(fakeJdk(tmp.resolve("jdk25"), "25"), ServiceJvm.StartupCache.OFF);
        assertEquals(ServiceJvm.launcherDefault(), StackConfig.builder(tmp).build().serviceJvm());
        assertEquals(jvm, StackConfig.builder(tmp).serviceJvm(jvm).build().serviceJvm());
    }

    @Test
    void tellsARunningTrainingJvmByItsArguments(@TempDir Path tmp) throws IOException {
        Path aot = tmp.resolve("orchestrator-0123456789abcdef.aot");
        assertEquals(Optional.of(aot), ServiceJvm.cacheWrittenAtExit(List.of("-Xmx256m", "-XX:AOTCacheOutput=" + aot,
                "-jar", "quarkus-run.jar")));
        assertEquals(Optional.empty(), ServiceJvm.cacheWrittenAtExit(List.of("-XX:AOTCache=" + aot, "-jar", "x.jar")));
        Path unverified = tmp.resolve("orchestrator-0123456789abcdef.jsa.unverified");
        assertEquals(Optional.of(unverified), ServiceJvm.cacheWrittenAtExit(List.of("-XX:ArchiveClassesAtExit="
                + unverified, "-jar", "quarkus-run.jar")));
        Path jsa = tmp.resolve("orchestrator-0123456789abcdef.jsa");
        List<String> cds = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + jsa, "-jar", "x.jar");
        assertEquals(Optional.of(jsa), ServiceJvm.cacheWrittenAtExit(cds));
        Files.writeString(jsa, "archive");
        assertEquals(Optional.empty(), ServiceJvm.cacheWrittenAtExit(cds), "an archive that is there is only read");
        assertEquals(Optional.empty(), ServiceJvm.cacheWrittenAtExit(List.of("-jar", "x.jar")));
    }
}
