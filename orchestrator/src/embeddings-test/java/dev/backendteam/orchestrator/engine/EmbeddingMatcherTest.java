package dev.backendteam.orchestrator.engine;

import ai.onnxruntime.OrtSession;
import dev.backendteam.contract.JobInputs;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real model (compiled and run only with the embeddings profile): ~2 s to load, a few ms a task. */
class EmbeddingMatcherTest {

    private static final Path WORK = Path.of("target", "routing-test");
    private static FlowExamples examples;
    private static EmbeddingMatcher matcher;

    @BeforeAll
    static void load() {
        examples = FlowExamples.fromClasspath();
        matcher = EmbeddingMatcher.start(examples, WORK, Duration.ofMinutes(2));
        matcher.awaitReady();
    }

    @Test
    void theBuildListsTheMatcherForServiceLoader() {
        assertTrue(TaskMatcher.Provider.installed().stream().anyMatch(p -> p instanceof EmbeddingMatcher.Provider));
    }

    @Test
    void phrasingsWithoutKeywordsFindTheirFlow() {
        // clear cases, none an example and none with a keyword of flows.yaml; how often the model is right on
        // realistic tasks is what deploy/bench's RoutingAccuracy measures, not this test
        Map<String, String> expected = Map.of(
                "the orders screen needs ten seconds before anything shows up", "performance",
                "we need invoices with line items and a customer for each", "new-feature",
                "a user managed to read somebody else's private messages", "security-review",
                "put the service online with a managed postgres", "deployment");
        Router keywordsOnly = new Router(FlowCatalog.fromClasspath());
        expected.forEach((task, flow) -> {
            assertInstanceOf(Router.Unclear.class, keywordsOnly.route(task, JobInputs.empty(), null), task);
            TaskMatcher.Match match = matcher.match(task).orElseThrow();
            assertEquals(flow, match.flow(), task + " → " + match);
            assertTrue(TaskMatcher.Thresholds.DEFAULTS.strong(match), task + " → " + match);
            assertTrue(examples.flows().get(flow).contains(match.example()), match.example());
        });
    }

    @Test
    void aMatchIsAScoreNotAVerdict() {
        TaskMatcher.Match match = matcher.match("hello").orElseThrow();
        assertTrue(match.similarity() > -1 && match.similarity() <= 1, match.toString());
        assertTrue(match.margin() >= 0, match.toString());
        assertTrue(matcher.match("   ").isEmpty());
        // small talk is no strong match for any flow: the job asks (the e2e suite's unclear task)
        for (String small : java.util.List.of("hello team", "hi there", "can you help me")) {
            assertFalse(TaskMatcher.Thresholds.DEFAULTS.strong(matcher.match(small).orElseThrow()), small);
        }
        // a pasted log far past the model's window costs one window, not hundreds
        String log = "ERROR: relation \"comments\" does not exist\n" + "    at Query.run (db.ts:42)\n".repeat(5_000);
        long start = System.nanoTime();
        assertTrue(matcher.match(log).isPresent());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "a long task is cut");
    }

    @Test
    void theRouterWithTheModelRoutesAndExplains() {
        Router router = new Router(FlowCatalog.fromClasspath(), matcher);
        Router.Routed routed = assertInstanceOf(Router.Routed.class,
                router.route("the orders screen needs ten seconds before anything shows up", JobInputs.empty(), null));
        assertEquals("performance", routed.flow());
        assertTrue(routed.reason().startsWith("nearest example '"), routed.reason());
    }

    @Test
    void theExamplesVectorsAreKeptForTheNextStartAndABrokenFileIsEmbeddedAgain() throws IOException {
        String task = "the orders screen needs ten seconds before anything shows up";
        TaskMatcher.Match fresh = matcher.match(task).orElseThrow();
        Path vectors;
        try (var files = Files.walk(WORK)) {
            vectors = files.filter(p -> p.getFileName().toString().matches("examples-[0-9a-f]{16}\\.vectors"))
                    .findFirst().orElseThrow();
        }
        long size = 8 + (long) examples.size() * 384 * 4;
        assertEquals(size, Files.size(vectors), "count, dimensions, then each example's 384 floats");

        // the same unit vector for every example: a start that reads the file finds every flow equally near
        ByteBuffer same = ByteBuffer.allocate((int) size).putInt(examples.size()).putInt(384);
        for (int i = 0; i < examples.size(); i++) {
            same.putFloat(1f);
            same.position(same.position() + 383 * 4);
        }
        Files.write(vectors, same.array());
        TaskMatcher.Match read = start().match(task).orElseThrow();
        assertEquals(0.0, read.margin(), "read from the file, not embedded again");

        Files.write(vectors, new byte[] {0, 0, 0, 7});
        TaskMatcher.Match again = start().match(task).orElseThrow();
        assertEquals(fresh.flow(), again.flow());
        assertEquals(fresh.similarity(), again.similarity(), 1e-6, "a broken file is ignored and the examples embedded");
        assertEquals(size, Files.size(vectors), "and written again");
    }

    private static EmbeddingMatcher start() {
        EmbeddingMatcher m = EmbeddingMatcher.start(examples, WORK, Duration.ofMinutes(2));
        m.awaitReady();
        return m;
    }

    @Test
    void onDemandTheModelLoadsForATaskAndIsClosedOnceIdle() throws Exception {
        EmbeddingMatcher onDemand = EmbeddingMatcher.onDemand(examples, WORK, Duration.ofSeconds(30),
                Duration.ofSeconds(3));
        assertFalse(onDemand.holdsModel(), "nothing is loaded before a task needs it");
        String task = "put the service online with a managed postgres";
        TaskMatcher.Match first = onDemand.match(task).orElseThrow();
        assertEquals("deployment", first.flow(), first.toString());
        EmbeddingModel model = onDemand.heldModel();
        OrtSession session = onDemand.heldSession();
        assertNotNull(model, "kept for the keep-alive after the task");
        assertEquals(384, model.embed("still usable").content().vector().length);

        awaitRelease(onDemand, Duration.ofSeconds(60));
        // released means closed: the session and the tokenizer's native handle refuse work, not only forgotten
        assertThrows(IllegalStateException.class, session::getInputNames);
        RuntimeException closed = assertThrows(RuntimeException.class, () -> model.embed("after the release"));
        assertTrue(String.valueOf(closed.getMessage()).contains("release"), closed.toString());

        TaskMatcher.Match again = onDemand.match(task).orElseThrow();
        assertEquals(first, again, "the next task loads the model again and gets the same answer");
        assertTrue(onDemand.holdsModel());
    }

    @Test
    void releasedAfterEveryTaskConcurrentTasksNeverMeetAClosedModel() throws Exception {
        EmbeddingMatcher eager = EmbeddingMatcher.onDemand(examples, WORK, Duration.ofSeconds(60), Duration.ZERO);
        List<String> tasks = List.of("the orders screen needs ten seconds before anything shows up",
                "we need invoices with line items and a customer for each",
                "a user managed to read somebody else's private messages",
                "put the service online with a managed postgres");
        Map<String, TaskMatcher.Match> expected = new java.util.HashMap<>();
        tasks.forEach(t -> expected.put(t, matcher.match(t).orElseThrow()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String t = tasks.get(i % tasks.size());
                runs.add(pool.submit(() -> assertEquals(expected.get(t), eager.match(t).orElseThrow(), t)));
            }
            for (Future<?> run : runs) {
                run.get(2, TimeUnit.MINUTES); // an assertion failed or a closed session was used: thrown here
            }
        } finally {
            pool.shutdownNow();
        }
        awaitRelease(eager, Duration.ofSeconds(30));
    }

    /** Until the idle model is closed (not only forgotten: touching it while it closes could crash the JVM). */
    private static void awaitRelease(EmbeddingMatcher m, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (m.releases() == 0 || m.holdsModel()) {
            assertTrue(System.nanoTime() < deadline, "the idle model was not released within " + within);
            Thread.sleep(100);
        }
        assertFalse(m.holdsModel());
        assertNull(m.heldModel());
    }

    @Test
    void aNegativeKeepAliveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddingMatcher.onDemand(examples, WORK,
                Duration.ofSeconds(5), Duration.ofSeconds(-1)));
    }

    @Test
    void theNativeHeapTrimSaysWhatItDid() {
        // JDK 17.0.9+ and 25 on glibc: "Trim native heap: RSS+Swap: …"; elsewhere it says why not, never throws
        String said = EmbeddingMatcher.trimNativeHeap();
        assertFalse(said.isBlank());
        assertTrue(said.contains("RSS") || said.contains("not"), said);
    }

    @Test
    void aModelThatCannotLoadMakesTheMatcherUnavailableNotSilent() throws IOException {
        // a work directory that is a file: the model cannot be unpacked there
        Path file = Files.createDirectories(WORK).resolve("not-a-directory");
        Files.writeString(file, "in the way");
        EmbeddingMatcher broken = EmbeddingMatcher.start(new FlowExamples(Map.of("bug", List.of("it crashes"))),
                file, Duration.ofSeconds(30));
        TaskMatcher.Unavailable e = assertThrows(TaskMatcher.Unavailable.class, () -> broken.match("it fails"));
        assertTrue(e.getMessage().contains("did not load"), e.getMessage());
    }

    @Test
    void aFailedLoadIsTriedAgainOnceTheRetryDelayIsOver() throws Exception {
        // the work directory is a file at first (the load fails), then a folder: the first task after the delay loads
        Path work = Files.createDirectories(WORK).resolve("retry");
        if (Files.isDirectory(work)) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.deleteIfExists(work);
        Files.writeString(work, "in the way");
        EmbeddingMatcher m = EmbeddingMatcher.onDemand(examples, work, Duration.ofSeconds(30), Duration.ofMinutes(1),
                Duration.ofSeconds(3));
        String task = "put the service online with a managed postgres";
        assertThrows(TaskMatcher.Unavailable.class, () -> m.match(task));
        Files.delete(work);
        assertThrows(TaskMatcher.Unavailable.class, () -> m.match(task), "still within the retry delay");
        Thread.sleep(3_200);
        assertEquals("deployment", m.match(task).orElseThrow().flow(), "tried again after the delay, and loaded");
    }
}
