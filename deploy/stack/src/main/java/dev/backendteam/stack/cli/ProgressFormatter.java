package dev.backendteam.stack.cli;

import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.JobUpdate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a job's timeline events into progress lines: the time since the job was created (the gateway's clock, so
 * what is shown is what the job store recorded), the step, and the orchestrator's own words, e.g.
 * <pre>
 * [   0.4s] step 1  db-architect started
 * [   1.1s] step 1  db-architect succeeded in 702 ms
 * [   3.0s] job completed: validation round passed …
 * </pre>
 * A failed step gets its duration added, a validation step's end says "validate" as its start does, a question
 * gets a line of its own.
 */
public final class ProgressFormatter {
    private final Instant origin;
    private final Map<Integer, Instant> stepStarts = new HashMap<>();
    /** Steps of the validation round: started while the job was validating. */
    private final Set<Integer> validations = new HashSet<>();

    /** @param origin the job's creation time; elapsed times count from it */
    public ProgressFormatter(Instant origin) {
        this.origin = origin;
    }

    public List<String> lines(JobUpdate update) {
        List<String> lines = new ArrayList<>();
        String type = update.type() == null ? "" : update.type();
        String message = update.message() == null ? "" : update.message();
        Integer step = update.step();
        String text;
        switch (type) {
            case "step.started", "step.reissued", "step.retry" -> {
                if (step != null && update.at() != null) {
                    stepStarts.put(step, update.at());
                }
                if (step != null && update.status() == JobStatus.VALIDATING) {
                    validations.add(step);
                }
                text = message;
            }
            case "step.succeeded" -> text = validation(step, message);
            case "step.failed" -> text = validation(step, message) + took(step, update.at());
            case "job.question" -> text = "job needs input" + (message.isEmpty() ? "" : ": " + message);
            case "job.completed", "job.failed", "job.cancelled" ->
                    text = "job " + type.substring("job.".length()) + (message.isEmpty() ? "" : ": " + message);
            default -> text = message.isEmpty() ? type : message;
        }
        String stepLabel = step == null ? "" : String.format(Locale.ROOT, "step %-2d ", step);
        lines.add(elapsed(update.at()) + " " + stepLabel + text);
        if (update.question() != null && !update.question().isBlank()) {
            lines.add(" ".repeat(elapsed(update.at()).length()) + " question: " + update.question());
        }
        return lines;
    }

    /** Says "validate" for the whole round, also for orchestrators whose end-of-step message lacks it. */
    private String validation(Integer step, String message) {
        return step != null && validations.contains(step) && !message.startsWith("validate ") ? "validate " + message
                : message;
    }

    /** {@code [  12.3s]}: seconds since the job was created. */
    String elapsed(Instant at) {
        if (at == null || origin == null) {
            return "[       ]";
        }
        double seconds = Math.max(0, Duration.between(origin, at).toMillis()) / 1000.0;
        return String.format(Locale.ROOT, "[%6.1fs]", seconds);
    }

    private String took(Integer step, Instant at) {
        Instant start = step == null ? null : stepStarts.get(step);
        if (start == null || at == null) {
            return "";
        }
        return " (after " + seconds(Duration.between(start, at)) + ")";
    }

    /** {@code 702 ms}, {@code 3.4 s}, {@code 2 min 5 s}. */
    public static String seconds(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return (ms / 60_000) + " min " + (ms % 60_000) / 1000 + " s";
    }
}
