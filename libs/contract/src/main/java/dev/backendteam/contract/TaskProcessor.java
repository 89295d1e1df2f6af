package dev.backendteam.contract;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns one task record into one result record around a {@link SpecialistEngine}: checks the task is meant for
 * this engine and well formed, reports an engine exception as a crash (retryable), and never publishes a result
 * larger than the message limit. Poison input throws {@link PoisonMessageException}.
 */
public final class TaskProcessor {
    private final SpecialistEngine engine;
    private final LongSupplier clock;

    public TaskProcessor(SpecialistEngine engine) {
        this(engine, System::nanoTime);
    }

    TaskProcessor(SpecialistEngine engine, LongSupplier nanoClock) {
        this.engine = Objects.requireNonNull(engine);
        this.clock = nanoClock;
    }

    public TaskEvent parse(String payload) {
        TaskEvent task = Json.read(payload, TaskEvent.class);
        if (task.jobId() == null || task.jobId().isBlank() || task.step() < 1 || task.attempt() < 1
                || task.kind() == null || task.service() == null) {
            throw new PoisonMessageException("task lacks jobId, step, attempt, kind or service");
        }
        if (task.service() != engine.specialist()) {
            throw new PoisonMessageException("task for '" + task.service().id() + "' reached '"
                    + engine.specialist().id() + "'");
        }
        return task;
    }

    public ResultEvent process(TaskEvent task) {
        long start = clock.getAsLong();
        StepOutcome outcome;
        try {
            outcome = task.kind() == TaskKind.VALIDATE ? engine.validate(task) : engine.work(task);
            if (outcome == null) {
                outcome = StepOutcome.failed(FailureKind.CRASH, "engine returned no outcome", null);
            }
        } catch (RuntimeException e) {
            outcome = StepOutcome.failed(FailureKind.CRASH,
                    "engine error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
        long millis = (clock.getAsLong() - start) / 1_000_000;
        ResultEvent result = ResultEvent.of(task, outcome, millis);
        int size = Json.utf8Length(Json.write(result));
        if (size > MessageLimits.MAX_PAYLOAD_BYTES) {
            result = ResultEvent.of(task, StepOutcome.failed(FailureKind.TOO_LARGE, "result of " + size
                    + " bytes exceeds the message limit of " + MessageLimits.MAX_PAYLOAD_BYTES + " bytes",
                    List.of()), millis);
        }
        return result;
    }
}
