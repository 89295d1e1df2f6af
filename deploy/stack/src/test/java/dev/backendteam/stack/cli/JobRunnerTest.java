package dev.backendteam.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backendteam.contract.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's side of a job, against a stand-in gateway (JDK HttpServer) that plays back a job's events. */
class JobRunnerTest {
    private static final String JOB = "0b0e2a52-0000-4000-8000-000000000001";

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());
    private volatile List<String> streams = List.of();
    private volatile String finalStatus = "completed";
    private volatile boolean proven = true;
    private volatile Map<String, String> bundle = Map.of("REPORT.md", "## Summary\n");
    private final AtomicInteger streamCalls = new AtomicInteger();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jobs", this::handle);
        server.start();
    }

    @AfterEach
    void stopGateway() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        requests.add(method + " " + path + (x.getRequestHeaders().containsKey("Last-Event-ID")
                ? " after " + x.getRequestHeaders().getFirst("Last-Event-ID") : ""));
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (method.equals("POST") && path.equals("/jobs")) {
            if (body.contains("\"flow\":\"nonsense\"")) {
                send(x, 422, "application/problem+json", "{\"title\":\"Invalid request\",\"status\":422,\"detail\":"
                        + "\"flow unknown flow 'nonsense'\",\"errors\":[{\"field\":\"flow\",\"message\":\"unknown flow"
                        + " 'nonsense'\"}]}");
                return;
            }
            send(x, 202, "application/json", "{\"id\":\"" + JOB + "\",\"status\":\"queued\","
                    + "\"createdAt\":\"2025-11-24T10:00:00Z\"}");
        } else if (path.endsWith("/events")) {
            int call = streamCalls.getAndIncrement();
            send(x, 200, "text/event-stream", call < streams.size() ? streams.get(call) : "");
        } else if (path.endsWith("/answers")) {
            answers.add(body);
            send(x, 202, "application/json", "{\"id\":\"" + JOB + "\",\"status\":\"routing\"}");
        } else if (path.endsWith("/report")) {
            send(x, 200, "text/markdown", "## Summary\n\nThe job " + finalStatus + ".\n");
        } else if (path.endsWith("/bundle")) {
            byte[] zip = BundleFolderTest.zip(bundle);
            x.getResponseHeaders().add("Content-Type", "application/zip");
            x.sendResponseHeaders(200, zip.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(zip);
            }
        } else if (path.equals("/jobs/" + JOB)) {
            // Until every recorded stream has been served, the job is still running.
            String status = streamCalls.get() >= streams.size() ? finalStatus : "running";
            send(x, 200, "application/json", "{\"id\":\"" + JOB + "\",\"status\":\"" + status + "\""
                    + (status.equals("failed") ? ",\"reason\":\"security failed: no SQL\"" : "")
                    + (status.equals("completed") ? ",\"proven\":" + proven + ",\"reason\":\"validation round passed: 3"
                    + " check(s) passed\"" : "") + "}");
        } else {
            send(x, 404, "text/plain", "no");
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(bytes);
        }
    }

    private static String event(int seq, String type, String status, Integer step, String message, String question) {
        return "event: " + type + "\nid: " + seq + "\ndata: {\"version\":1,\"jobId\":\"" + JOB + "\",\"sequence\":"
                + seq
                + ",\"type\":\"" + type + "\",\"status\":\"" + status + "\"" + (step == null ? "" : ",\"step\":" + step)
                + ",\"message\":\"" + message + "\"" + (question == null ? "" : ",\"question\":\"" + question + "\"")
                + ",\"at\":\"2025-11-24T10:00:0" + seq + "Z\"}\n\n";
    }

    private JobRunner runner(String stdin, boolean interactive) {
        return new JobRunner(new GatewayClient("http://127.0.0.1:" + server.getAddress().getPort(), null),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(log, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader(stdin)), interactive, () -> false);
    }

    private static JobFile job(String json) {
        return JobFile.parse(Path.of("job.json"), json);
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void followsTheJobThenPrintsTheReportAndWritesTheBundle(@TempDir Path root) throws IOException {
        streams = List.of(event(1, "job.queued", "queued", null, "job queued", null)
                + event(2, "step.started", "running", 1, "db-architect started", null)
                + event(3, "step.succeeded", "running", 1, "db-architect succeeded in 812 ms", null)
                + event(4, "job.completed", "completed", null, "validation round passed", null));
        JobRunner.Outcome outcome = runner("", false).run(job("{\"task\":\"x\"}"), null, root, false);
        assertEquals(JobRunner.Outcome.COMPLETED, outcome);
        assertEquals(0, outcome.exitCode);
        assertEquals("## Summary\n\nThe job completed.\n", out.toString(StandardCharsets.UTF_8),
                "stdout holds the report and nothing else");
        String log = log();
        assertTrue(log.contains("[   2.0s] step 1  db-architect started"), log);
        assertTrue(log.contains("[   3.0s] step 1  db-architect succeeded in 812 ms"), log);
        assertTrue(log.contains("[   4.0s] job completed: validation round passed"), log);
        Path folder = root.resolve("out").resolve(JOB);
        assertTrue(Files.isRegularFile(folder.resolve("backend-team-" + JOB + ".zip")));
        assertEquals("## Summary\n", Files.readString(folder.resolve("REPORT.md")));
        assertTrue(log.contains("job " + JOB + " completed in "), log);
        assertTrue(log.contains(", proven (validation round passed: 3 check(s) passed)"), log);
    }

    @Test
    void aCompletedJobThatIsNotProvenSaysSoOnItsLastLine(@TempDir Path root) throws IOException {
        proven = false;
        streams = List.of(event(1, "job.completed", "completed", null, "validation round passed", null));
        assertEquals(JobRunner.Outcome.COMPLETED, runner("", false).run(job("{\"task\":\"x\"}"), null, root, false));
        assertTrue(log().contains(", not proven (validation round passed: 3 check(s) passed)"), log());
    }

    @Test
    void eachBundleEntryOutsideTheFolderIsAWarningAndTheRestIsExtracted(@TempDir Path root) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("REPORT.md", "## Summary\n");
        entries.put("../../escaped.txt", "no");
        entries.put("/etc/cron.d/evil", "no");
        entries.put("Dockerfile", "FROM x");
        bundle = entries;
        streams = List.of(event(1, "job.completed", "completed", null, "done", null));
        assertEquals(JobRunner.Outcome.COMPLETED, runner("", false).run(job("{\"task\":\"x\"}"), null, root, false));
        Path folder = root.resolve("out").resolve(JOB);
        assertEquals("FROM x", Files.readString(folder.resolve("Dockerfile")));
        assertFalse(Files.exists(root.resolve("escaped.txt")));
        List<String> warnings = log().lines().filter(l -> l.startsWith("warning:")).toList();
        assertEquals(List.of(
                "warning: the bundle entry '../../escaped.txt' was not extracted: it has a '..' segment",
                "warning: the bundle entry '/etc/cron.d/evil' was not extracted: it is absolute (starts with '/')"),
                warnings);
        assertTrue(log().contains("(2 files: REPORT.md, Dockerfile)"), log());
    }

    @Test
    void aFailedJobStillGetsItsReportAndBundleButExitsNonZero(@TempDir Path root) throws IOException {
        finalStatus = "failed";
        streams = List.of(event(1, "job.failed", "failed", 1, "security failed: no SQL", null));
        Path outFolder = root.resolve("elsewhere");
        JobRunner.Outcome outcome = runner("", false).run(job("{\"task\":\"x\"}"), outFolder, root, false);
        assertEquals(JobRunner.Outcome.FAILED, outcome);
        assertTrue(Files.isRegularFile(outFolder.resolve("REPORT.md")), "--out names the folder itself");
        assertTrue(log().contains("job " + JOB + " failed in "), log());
        assertTrue(log().contains(": security failed: no SQL"), log());
    }

    @Test
    void withoutATerminalAQuestionStopsTheRun(@TempDir Path root) throws IOException {
        streams = List.of(event(1, "job.queued", "queued", null, "job queued", null)
                + event(2, "job.question", "needs_input", null, "the task is unclear", "Which kind of job is this?"));
        JobRunner.Outcome outcome = runner("bug\n", false).run(job("{\"task\":\"hello\"}"), null, root, true);
        assertEquals(JobRunner.Outcome.NEEDS_INPUT, outcome);
        assertEquals(3, outcome.exitCode);
        assertEquals(List.of(), answers, "nobody was asked, so nothing was answered");
        String log = log();
        assertTrue(log.contains("question: Which kind of job is this?"), log);
        assertTrue(log.contains("stdin is not a terminal"), log);
        assertTrue(log.contains("/jobs/" + JOB + "/answers"), "the stack stays up: how to answer later; " + log);
        assertFalse(Files.exists(root.resolve("out")), "no report, no bundle for a job that has not finished");
    }

    @Test
    void atATerminalTheAnswerIsSentAndTheJobGoesOn(@TempDir Path root) throws IOException {
        streams = List.of(event(1, "job.question", "needs_input", null, "the task is unclear", "Which kind?")
                + event(2, "job.answered", "needs_input", null, "answer received", null)
                + event(3, "job.completed", "completed", null, "done", null));
        JobRunner.Outcome outcome = runner("  bug \n", true).run(job("{\"task\":\"hello\"}"), null, root, false);
        assertEquals(JobRunner.Outcome.COMPLETED, outcome);
        assertEquals(List.of("{\"answer\":\"bug\"}"), answers);
        assertTrue(log().contains("your answer"), log());
    }

    @Test
    void anAnswerFromAFileSendsItsFields(@TempDir Path root) throws IOException {
        Path log = Files.writeString(root.resolve("app.log"), "ERROR: relation \"comments\" does not exist\n");
        streams = List.of(event(1, "job.question", "needs_input", 1, "ops(debugger) needs input", "Paste the log")
                + event(2, "job.completed", "completed", null, "done", null));
        assertEquals(JobRunner.Outcome.COMPLETED, runner("@" + log + "\n", true).run(job("{\"task\":\"x\"}"), null,
                root, false));
        assertEquals(1, answers.size());
        JsonNode sent = Json.events().readTree(answers.get(0));
        assertEquals("the log in app.log", sent.path("answer").asText());
        assertEquals("ERROR: relation \"comments\" does not exist\n", sent.path("logs").asText());
    }

    @Test
    void anEmptyAnswerStops(@TempDir Path root) throws IOException {
        streams = List.of(event(1, "job.question", "needs_input", null, "unclear", "Which kind?"));
        assertEquals(JobRunner.Outcome.NEEDS_INPUT,
                runner("\n", true).run(job("{\"task\":\"hello\"}"), null, root, false));
        assertEquals(List.of(), answers);
    }

    @Test
    void aBrokenStreamIsResumedAfterTheLastEvent(@TempDir Path root) throws IOException {
        streams = List.of(event(1, "job.queued", "queued", null, "job queued", null)
                + event(2, "step.started", "running", 1, "db-architect started", null),
                event(3, "job.completed", "completed", null, "done", null));
        JobRunner.Outcome outcome = runner("", false).run(job("{\"task\":\"x\"}"), null, root, false);
        assertEquals(JobRunner.Outcome.COMPLETED, outcome);
        assertTrue(requests.contains("GET /jobs/" + JOB + "/events after 2"), requests.toString());
    }

    @Test
    void aRefusedJobReadsAsItsFieldErrors(@TempDir Path root) {
        GatewayException e = assertThrows(GatewayException.class,
                () -> runner("", false).run(job("{\"task\":\"x\",\"flow\":\"nonsense\"}"), null, root, false));
        assertTrue(e.isClientError());
        assertTrue(e.getMessage().contains("  - flow: unknown flow 'nonsense'"), e.getMessage());
    }
}
