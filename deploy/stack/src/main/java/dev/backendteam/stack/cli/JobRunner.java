package dev.backendteam.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.PoisonMessageException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One job through the gateway: submit it, follow its events (resuming the stream if it breaks), answer its
 * questions when a person is there to, then print the report and write the bundle. Progress goes to {@code log}
 * (stderr), the report to {@code out} (stdout), so that {@code run job.yaml > report.md} keeps only the report.
 */
final class JobRunner {
    /** How the job ended, as the launcher's exit code. */
    enum Outcome {
        COMPLETED(Launcher.EXIT_OK), FAILED(Launcher.EXIT_JOB_FAILED), NEEDS_INPUT(Launcher.EXIT_NEEDS_INPUT);

        final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private static final int MAX_RECONNECTS = 5;
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final GatewayClient gateway;
    private final PrintStream out;
    private final PrintStream log;
    private final BufferedReader in;
    private final boolean interactive;
    private final BooleanSupplier interrupted;
    private volatile String currentJob;
    private volatile boolean finished;
    private boolean hinted;

    /**
     * @param interactive stdin is a terminal: questions are asked there; otherwise the run stops at one
     * @param interrupted Ctrl-C was pressed: a broken stream is then expected, not worth a line
     */
    JobRunner(GatewayClient gateway, PrintStream out, PrintStream log, BufferedReader in, boolean interactive,
            BooleanSupplier interrupted) {
        this.gateway = gateway;
        this.out = out;
        this.log = log;
        this.in = in;
        this.interactive = interactive;
        this.interrupted = interrupted;
    }

    /**
     * @param outFolder where the bundle goes; null = {@code <root>/out/<job id>}
     * @param stackStays the stack outlives this run (it was already up): say how to answer a question later
     */
    Outcome run(JobFile job, Path outFolder, Path root, boolean stackStays) throws IOException {
        Instant submitted = Instant.now();
        JsonNode view = gateway.submit(job.json());
        String id = view.path("id").asText();
        currentJob = id;
        Instant origin = parseInstant(view.path("createdAt").asText(null), submitted);
        log.println("job " + id + " submitted from " + Launcher.display(job.path()) + " to " + gateway.baseUrl());

        if (followStopsForInput(id, new ProgressFormatter(origin))) {
            finished = true;
            log.println();
            log.println("the job " + id + " is waiting for an answer, and " + (interactive ? "none was given"
                    : "stdin is not a terminal") + ".");
            log.println("Run it again in a terminal to answer, or put what the question asks for into the job file"
                    + " (for example its flow, logs or spec).");
            if (stackStays) {
                log.println("The stack stays up; to answer this job now: curl -X POST " + gateway.baseUrl() + "/jobs/"
                        + id + "/answers -H 'Content-Type: application/json' -d '{\"answer\":\"…\"}'");
            }
            return Outcome.NEEDS_INPUT;
        }

        JsonNode finalView = gateway.job(id);
        JobStatus status = JobStatus.of(finalView.path("status").asText("failed"));
        finished = true;
        String report = gateway.reportMarkdown(id);
        log.println();
        out.println(report.stripTrailing());
        out.flush();
        log.println();
        Path folder = outFolder != null ? outFolder : root.resolve("out").resolve(id);
        BundleFolder.Extraction bundle = BundleFolder.write(folder, id, gateway.bundle(id));
        List<Path> files = bundle.files();
        log.println("bundle: " + Launcher.display(folder.resolve(BundleFolder.zipName(id))) + ", extracted into "
                + Launcher.display(folder) + "/ (" + files.size() + " file" + (files.size() == 1 ? "" : "s") + ": "
                + String.join(", ", files.stream().limit(8).map(Path::toString).toList())
                + (files.size() > 8 ? ", …" : "") + ")");
        for (BundleFolder.Refused r : bundle.refused()) {
            log.println("warning: the bundle entry '" + r.printableName() + "' was not extracted: it " + r.reason());
        }
        String reason = finalView.path("reason").asText("");
        String verdict = status != JobStatus.COMPLETED ? (reason.isEmpty() ? "" : ": " + reason)
                : (finalView.path("proven").asBoolean(false) ? ", proven" : ", not proven")
                        + (reason.isEmpty() ? "" : " (" + reason + ")");
        log.println("job " + id + " " + status.wire() + " in "
                + ProgressFormatter.seconds(Duration.between(submitted, Instant.now())) + verdict);
        return status == JobStatus.COMPLETED ? Outcome.COMPLETED : Outcome.FAILED;
    }

    /** Best effort, for Ctrl-C: cancels the job this run submitted if it has not finished. */
    void cancelUnfinished(Duration timeout) {
        String id = currentJob;
        if (id == null || finished) {
            return;
        }
        try {
            gateway.cancel(id, timeout);
            log.println();
            log.println("interrupted: cancelled job " + id + " (the stack stays up)");
        } catch (IOException | RuntimeException e) {
            log.println("could not cancel job " + id + ": " + (e.getMessage() != null ? e.getMessage() : e));
        }
    }

    /** Follows the job's events until it ends (false) or waits for an answer nobody gives here (true). */
    private boolean followStopsForInput(String id, ProgressFormatter formatter) throws IOException {
        String lastEventId = null;
        int reconnects = 0;
        while (true) {
            FollowState state = new FollowState();
            try {
                lastEventId = gateway.events(id, lastEventId, event -> onEvent(id, event, formatter, state));
            } catch (IOException e) {
                if (interrupted.getAsBoolean()) {
                    throw e;
                }
                if (!state.needsInput && !state.ended) {
                    log.println("(the event stream broke: " + e.getMessage() + "; resuming)");
                }
            }
            if (state.needsInput || state.ended) {
                return state.needsInput;
            }
            // The stream ended without the terminal event: the job may have finished while we were away.
            JobStatus status = JobStatus.of(gateway.job(id).path("status").asText("running"));
            if (status.terminal()) {
                return false;
            }
            if (++reconnects > MAX_RECONNECTS) {
                throw new IOException("the event stream of job " + id + " ended " + reconnects
                        + " times before the job finished (it is " + status.wire() + ")");
            }
            sleep(RECONNECT_PAUSE);
        }
    }

    private static final class FollowState {
        boolean ended;
        boolean needsInput;
    }

    private boolean onEvent(String id, ServerSentEvents.Event event, ProgressFormatter formatter, FollowState state) {
        JobUpdate update;
        try {
            update = Json.read(event.data(), JobUpdate.class);
        } catch (PoisonMessageException e) {
            log.println("(an event the launcher cannot read: " + e.getMessage() + ")");
            return true;
        }
        formatter.lines(update).forEach(log::println);
        String type = update.type() == null ? event.name() : update.type();
        if (type.equals("job.completed") || type.equals("job.failed") || type.equals("job.cancelled")) {
            state.ended = true;
            return false;
        }
        if (type.equals("job.question")) {
            if (!answer(id)) {
                state.needsInput = true;
                return false;
            }
        }
        return true;
    }

    /**
     * Asks on the terminal and posts the answer; false if there is no one to ask or they gave no answer. An answer
     * {@code @<file>} sends the file ({@link JobFile#answerBody}): a one-line prompt cannot take a pasted log.
     */
    private boolean answer(String id) {
        if (!interactive) {
            return false;
        }
        if (!hinted) {
            hinted = true;
            log.println("Answer on the line below, or @<file> to send a file: a .json/.yaml file holds the answer"
                    + " and input fields (logs, spec, sql, …), any other file is sent as the logs.");
        }
        while (true) {
            log.print("your answer (an empty line stops the run): ");
            log.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                return false;
            }
            if (line == null || line.isBlank()) {
                return false;
            }
            String answer = line.trim();
            try {
                if (answer.startsWith("@") && answer.length() > 1) {
                    gateway.answerWith(id, JobFile.answerBody(Path.of(answer.substring(1)).toAbsolutePath()));
                } else {
                    gateway.answer(id, answer);
                }
                return true;
            } catch (JobFile.JobFileException e) {
                log.println(e.getMessage());
            } catch (GatewayException e) {
                log.println(e.getMessage());
                if (e.status() == 409) {
                    return true; // the job no longer asks (answered elsewhere, or cancelled): follow it on
                }
                if (!e.isClientError()) {
                    return false;
                }
            } catch (IOException e) {
                log.println("could not send the answer: " + e.getMessage());
                return false;
            }
        }
    }

    private static Instant parseInstant(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
