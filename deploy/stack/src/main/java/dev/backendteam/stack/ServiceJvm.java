package dev.backendteam.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVM a packaged service runs on and the flags it gets: small-footprint memory settings, and the start-up cache
 * that JDK supports, kept in the state folder.
 * <ul>
 * <li>JDK 25 and newer: the ahead-of-time cache (JEP 483/514/515). The first start trains,
 * {@code -XX:AOTCacheOutput=…}: at exit (SIGTERM runs it too) the JVM forks the assembly of the cache, which takes
 * seconds, so a training run gets a long stop grace. Later starts use it, {@code -XX:AOTCache=…}.</li>
 * <li>JDK 19 to 24: a dynamic class-data-sharing archive, {@code -XX:+AutoCreateSharedArchive
 * -XX:SharedArchiveFile=…}, written at exit and rewritten by the JVM when it no longer fits.</li>
 * <li>JDK 17 and 18: a dynamic class-data-sharing archive too, which these write only when told where
 * ({@code -XX:ArchiveClassesAtExit=…}) and do not check as they map it: one cut short (a JVM killed while writing
 * it, a full disk) crashes every JVM that reads it. So the training run writes it beside its name
 * ({@value #UNVERIFIED}), and the next start uses it only once a JVM of its own has mapped it with its checksums
 * ({@link #verified}); otherwise it is deleted and trained again.</li>
 * </ul>
 * A cache file is named by a key over the JDK's build, the JVM options and every file of the packaged app (path,
 * size, modification time), so a rebuilt jar or another JDK never meets a stale cache: it gets a new file, and the
 * service's files of other keys are deleted. The JVM checks too (a mismatched AOT cache is ignored with a warning),
 * but a silently ignored cache would be a slow start that nobody notices.
 *
 * @param javaHome the JDK (or JRE) the services run on
 * @param cache    {@link StartupCache#OFF} runs without any cache, e.g. to measure what the cache buys
 */
public record ServiceJvm(Path javaHome, StartupCache cache) {
    /** A JDK home, or that JDK's {@code bin/java}; default: the JDK the launcher runs on. */
    public static final String JAVA_SETTING = "BACKEND_TEAM_SERVICE_JAVA";
    /** {@code auto} (default) or {@code off}. */
    public static final String CACHE_SETTING = "BACKEND_TEAM_STARTUP_CACHE";

    /**
     * Measured on the services (deploy/bench/startup.sh; README "Start time and memory"). The initial heap is the
     * big one: by default 1/64 of the machine's memory (the whole 256 MB on 24 GiB), so the young generation was
     * touched far before the first collection; starting at 16 MB and giving back what stays free keeps an idle
     * service at about 120 MB instead of 165 MB. C1 only saves another ~12 MB and CPU while five JVMs start on two
     * cores; the serial collector needs no GC threads. The heap bound stays what the jobs had.
     */
    public static final List<String> MEMORY_OPTIONS = List.of("-Xmx256m", "-Xms16m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-XX:ReservedCodeCacheSize=48m");
    /**
     * glibc keeps what the JVM and native libraries free (a Kafka client's buffers, the ONNX runtime's load of the
     * routing model) for later mallocs; trimming every 5 s hands it back. Measured on JDK 25 with the cache
     * (deploy/bench/startup.sh): every service idles 5–8 MB lower (ops 151 → 143 MB), no CPU to see. JDK 22 has the
     * option; earlier JDKs only in later updates (17.0.15 here does), so those are asked first.
     */
    static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=5000";
    /**
     * With an AOT cache, JDK 25 replays at start the compilations its training run made, the job's hot methods
     * included: C1 work while six JVMs start on two cores that a start does not need, and that the job redoes as its
     * methods get hot. Measured, nine alternating {@code up}s each: 8 of 9 were faster without (medians 9.2 → 8.9 s).
     */
    static final List<String> NO_TRAINING_REPLAY = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
    /**
     * Since the starts do not replay it, a training run need not record it either: the profiles it would keep in the
     * cache are mapped by every start for nothing. Measured on JDK 25: each cache 2–3 MB smaller, each service 2 MB
     * lower idle.
     */
    static final List<String> NO_TRAINING_RECORD = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");
    /** What a JDK 17 or 18 training run writes its archive as, beside the name it gets once verified. */
    static final String UNVERIFIED = ".unverified";
    private static final Map<List<Object>, Boolean> ACCEPTED = new java.util.concurrent.ConcurrentHashMap<>();
    /** glibc's default of 8 arenas per core is resident memory an idle JVM never gives back. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    public enum StartupCache { AUTO, OFF }

    /** Which cache a JVM of that feature version gets. */
    public enum Kind {
        NONE(""), CDS(".jsa"), AOT(".aot");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        public static Kind forFeatureVersion(int feature) {
            if (feature >= 25) {
                return AOT;
            }
            return feature >= 17 ? CDS : NONE;
        }
    }

    /**
     * What one start runs with.
     *
     * @param command  the java command up to (not including) {@code -jar}
     * @param cacheFile the cache this start reads or writes, if any
     * @param training true if this start writes the cache at exit (its stop must wait for it)
     */
    public record Launch(List<String> command, Optional<Path> cacheFile, boolean training) {
    }

    public ServiceJvm {
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(cache, "cache");
        javaHome = javaHome.toAbsolutePath().normalize();
    }

    /** The launcher's own JDK, cache on. */
    public static ServiceJvm launcherDefault() {
        return new ServiceJvm(Path.of(System.getProperty("java.home")), StartupCache.AUTO);
    }

    /** {@value #JAVA_SETTING} and {@value #CACHE_SETTING} from {@code env}, the launcher's defaults for the rest. */
    public static ServiceJvm fromEnvironment(Map<String, String> env) {
        ServiceJvm jvm = launcherDefault();
        String named = env.get(JAVA_SETTING);
        if (named != null && !named.isBlank()) {
            jvm = new ServiceJvm(homeOf(Path.of(named.trim())), jvm.cache());
        }
        String cache = env.get(CACHE_SETTING);
        if (cache != null && !cache.isBlank()) {
            jvm = new ServiceJvm(jvm.javaHome(), switch (cache.trim().toLowerCase(Locale.ROOT)) {
                case "auto", "on" -> StartupCache.AUTO;
                case "off" -> StartupCache.OFF;
                default -> throw new StackException(CACHE_SETTING + " is auto or off, not " + cache);
            });
        }
        return jvm;
    }

    /** A JDK home given as itself or as its {@code bin/java}. */
    static Path homeOf(Path given) {
        Path home = given.getFileName() != null && given.getFileName().toString().equals("java")
                && given.getParent() != null && given.getParent().getFileName().toString().equals("bin")
                ? given.getParent().getParent() : given;
        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
            throw new StackException(JAVA_SETTING + "=" + given + " is no JDK: " + home.resolve("bin/java")
                    + " is not there");
        }
        return home;
    }

    public Path javaExecutable() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** The JDK's {@code release} file, which every JDK since 9 carries; read, not run, so it costs no JVM start. */
    public Map<String, String> release() {
        Path file = javaHome.resolve("release");
        try {
            Map<String, String> values = new java.util.LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replaceAll("^\"|\"$", ""));
                }
            }
            return values;
        } catch (IOException e) {
            throw new StackException("cannot read " + file + " to tell the Java version of " + javaHome, e);
        }
    }

    /** 17, 21, 25, … from {@code JAVA_VERSION} ("17.0.15", "25", and "1.8.0_…" as 8). */
    public int featureVersion() {
        return featureVersion(release().getOrDefault("JAVA_VERSION", ""));
    }

    static int featureVersion(String javaVersion) {
        String v = javaVersion.startsWith("1.") ? javaVersion.substring(2) : javaVersion;
        String digits = v.split("[^0-9]", 2)[0];
        if (digits.isEmpty()) {
            throw new StackException("cannot tell the Java version from JAVA_VERSION=\"" + javaVersion + "\"");
        }
        return Integer.parseInt(digits);
    }

    public Kind kind() {
        return cache == StartupCache.OFF ? Kind.NONE : Kind.forFeatureVersion(featureVersion());
    }

    /**
     * {@link #MEMORY_OPTIONS}, and {@value #TRIM_NATIVE_HEAP} where this JVM knows it: JDK 22 and newer, or an older
     * one that says so ({@link #accepts}).
     */
    public List<String> memoryOptions() {
        if (!(featureVersion() >= 22 || accepts(List.of(TRIM_NATIVE_HEAP)))) {
            return MEMORY_OPTIONS;
        }
        List<String> options = new ArrayList<>(MEMORY_OPTIONS);
        options.add(TRIM_NATIVE_HEAP);
        return List.copyOf(options);
    }

    /** The options a start that reads an AOT cache adds: {@link #NO_TRAINING_REPLAY} on 25, or a later JDK that has it. */
    List<String> aotReadOptions() {
        return featureVersion() == 25 || accepts(NO_TRAINING_REPLAY) ? NO_TRAINING_REPLAY : List.of();
    }

    /** The options a run that trains an AOT cache adds: {@link #NO_TRAINING_RECORD}, where it has that. */
    List<String> aotTrainOptions() {
        return featureVersion() == 25 || accepts(NO_TRAINING_RECORD) ? NO_TRAINING_RECORD : List.of();
    }

    /**
     * Whether this JVM starts with these options: asked once per JDK ({@code java <options> -version}, ~70 ms), since
     * an option a JVM does not know stops it from starting.
     */
    boolean accepts(List<String> options) {
        return ACCEPTED.computeIfAbsent(List.of(javaHome, options), key -> {
            List<String> probe = new ArrayList<>();
            probe.add(javaExecutable().toString());
            probe.addAll(options);
            probe.add("-version");
            return succeeds(probe);
        });
    }

    /** Whether this command exits with 0 within 30 s (its output discarded). */
    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The command for one start of the app in {@code appDirectory} (the fast-jar's {@code quarkus-app}): if a cache
     * for this exact JDK, these options and this build exists, it is used; otherwise this start trains it. Files of
     * the same service under other keys (an older build, another JDK) are deleted.
     */
    public Launch launch(String service, Path appDirectory, Path cacheDirectory) {
        return launch(service, List.of(appDirectory), cacheDirectory);
    }

    /**
     * The command of a second instance of {@code service}: with the cache the first one trained, if it exists for
     * this build and JDK, else without any; it never trains, and leaves other files alone.
     */
    public Launch launchShared(String service, List<Path> program, Path cacheDirectory) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(memoryOptions());
        Kind kind = kind();
        Path file = cacheDirectory.resolve(service + "-" + key(program) + kind.suffix);
        if (kind == Kind.NONE || !Files.isRegularFile(file)) {
            return new Launch(command, Optional.empty(), false);
        }
        if (kind == Kind.AOT) {
            command.add("-XX:AOTCache=" + file);
            command.add("-Xlog:aot=warning,cds=warning");
            command.addAll(aotReadOptions());
        } else {
            command.add("-XX:SharedArchiveFile=" + file);
            command.add("-Xlog:cds=warning");
        }
        return new Launch(command, Optional.of(file), false);
    }

    /** {@link #launch(String, Path, Path)} for a program made of these files and folders (e.g. a classpath). */
    public Launch launch(String service, List<Path> program, Path cacheDirectory) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(memoryOptions());
        Kind kind = kind();
        if (kind == Kind.NONE) {
            return new Launch(command, Optional.empty(), false);
        }
        Path file = cacheDirectory.resolve(service + "-" + key(program) + kind.suffix);
        deleteOthers(service, cacheDirectory, file);
        Path unverified = file.resolveSibling(file.getFileName() + UNVERIFIED);
        try {
            Files.createDirectories(cacheDirectory);
        } catch (IOException e) {
            throw new StackException("cannot create " + cacheDirectory, e);
        }
        if (kind == Kind.CDS && !autoCreatesArchive() && !Files.isRegularFile(file)
                && Files.isRegularFile(unverified)) {
            promote(unverified, file, program);
        }
        boolean training = !Files.isRegularFile(file);
        if (kind == Kind.AOT) {
            // -Xlog keeps the cache's fate in the service log: "… AOT cache … mismatch" shows why one was ignored.
            command.add(training ? "-XX:AOTCacheOutput=" + file : "-XX:AOTCache=" + file);
            command.add("-Xlog:aot=warning,cds=warning");
            command.addAll(training ? aotTrainOptions() : aotReadOptions());
        } else if (!autoCreatesArchive()) {
            command.add(training ? "-XX:ArchiveClassesAtExit=" + unverified : "-XX:SharedArchiveFile=" + file);
            // writing it, JDK 17 warns of every class it leaves out (a reflection accessor, a class that failed
            // verification): some hundred lines per service at the training stop that nobody can act on
            command.add(training ? "-Xlog:cds=error" : "-Xlog:cds=warning");
            return new Launch(command, Optional.of(training ? unverified : file), training);
        } else {
            command.add("-XX:+AutoCreateSharedArchive");
            command.add("-XX:SharedArchiveFile=" + file);
            command.add("-Xlog:cds=warning");
        }
        return new Launch(command, Optional.of(file), training);
    }

    /** JDK 19 and newer write and check a dynamic archive themselves ({@code -XX:+AutoCreateSharedArchive}). */
    private boolean autoCreatesArchive() {
        return featureVersion() >= 19;
    }

    /** Renames a JDK 17/18 training run's archive to its name once {@link #verified}; deletes it otherwise. */
    private void promote(Path unverified, Path file, List<Path> program) {
        try {
            if (verified(unverified, program)) {
                Files.move(unverified, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(unverified);
            }
        } catch (IOException e) {
            throw new StackException("cannot keep or delete the class-data archive " + unverified, e);
        }
    }

    /**
     * Whether a JVM of these options and this program's class path maps the archive with its checksums checked and
     * starts ({@code -Xshare:on -XX:+VerifySharedSpaces … -version}, ~0.3 s, once per training). A cut-short archive
     * makes that JVM fail, or crash: its crash report goes to a file that is deleted with it.
     */
    boolean verified(Path archive, List<Path> program) {
        Path crashReport = archive.resolveSibling(archive.getFileName() + ".hs_err");
        List<String> probe = new ArrayList<>();
        probe.add(javaExecutable().toString());
        probe.addAll(memoryOptions());
        probe.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-XX:+VerifySharedSpaces",
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + crashReport, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", classPath(program), "-version"));
        try {
            return succeeds(probe);
        } finally {
            try {
                Files.deleteIfExists(crashReport);
            } catch (IOException ignored) {
                // a crash report left in the cache folder harms nothing
            }
        }
    }

    /**
     * The class path the program runs with: a packaged app's folder stands for its {@code quarkus-run.jar} (which
     * {@code -jar} runs, and whose manifest names the rest), anything else for itself.
     */
    static String classPath(List<Path> program) {
        return program.stream().map(p -> Files.isRegularFile(p.resolve("quarkus-run.jar")) ? p.resolve("quarkus-run.jar")
                : p).map(Path::toString).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * Sixteen hex digits of SHA-256 over the JDK's release file and location, the memory options, and every file of
     * the program (path, size, modification time).
     */
    String key(List<Path> program) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(sha, javaHome.toString());
        release().forEach((k, v) -> update(sha, k + "=" + v));
        memoryOptions().forEach(option -> update(sha, option));
        if (kind() == Kind.AOT) {
            aotTrainOptions().forEach(option -> update(sha, option));
        }
        for (Path root : program) {
            if (!Files.exists(root)) {
                update(sha, root + " missing");
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    update(sha, file.toAbsolutePath() + " " + attributes.size() + " "
                            + attributes.lastModifiedTime().toMillis());
                }
            } catch (IOException | UncheckedIOException e) {
                throw new StackException("cannot list " + root + " for the start-up cache's key", e);
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static void deleteOthers(String service, Path cacheDirectory, Path keep) {
        if (!Files.isDirectory(cacheDirectory)) {
            return;
        }
        try (Stream<Path> files = Files.list(cacheDirectory)) {
            String kept = keep.getFileName().toString();
            // the key's own files stay: the cache, and what its training run writes beside it
            for (Path other : files.filter(p -> isCacheOf(service, p) && !p.getFileName().toString().startsWith(kept))
                    .toList()) {
                Files.deleteIfExists(other);
            }
        } catch (IOException e) {
            throw new StackException("cannot clean the start-up caches in " + cacheDirectory, e);
        }
    }

    /**
     * The cache file a running JVM with these arguments writes when it exits, if it trains one: an AOT training
     * run ({@code -XX:AOTCacheOutput=}), a JDK 17/18 archive ({@code -XX:ArchiveClassesAtExit=}), or a dynamic CDS
     * archive that is not there yet.
     */
    public static Optional<Path> cacheWrittenAtExit(List<String> arguments) {
        for (String argument : arguments) {
            if (argument.startsWith("-XX:AOTCacheOutput=")) {
                return Optional.of(Path.of(argument.substring("-XX:AOTCacheOutput=".length())));
            }
            if (argument.startsWith("-XX:ArchiveClassesAtExit=")) {
                return Optional.of(Path.of(argument.substring("-XX:ArchiveClassesAtExit=".length())));
            }
        }
        if (arguments.contains("-XX:+AutoCreateSharedArchive")) {
            for (String argument : arguments) {
                if (argument.startsWith("-XX:SharedArchiveFile=")) {
                    Path file = Path.of(argument.substring("-XX:SharedArchiveFile=".length()));
                    return Files.exists(file) ? Optional.empty() : Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code <service>-<16 hex>.aot|.jsa}, and what the JVM leaves beside it while training. */
    static boolean isCacheOf(String service, Path file) {
        return file.getFileName().toString().matches(java.util.regex.Pattern.quote(service)
                + "-[0-9a-f]{16}\\.(aot|jsa)(\\..*)?");
    }
}
