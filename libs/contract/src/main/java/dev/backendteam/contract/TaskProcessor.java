package dev.backendteam.contract;

import dev.backendteam.contract.llm.BudgetExceededException;
import dev.backendteam.contract.llm.ModelFailedException;
import dev.backendteam.contract.llm.UsageLedger;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns one task record into one result record for a service that hosts one {@link SpecialistEngine} per role:
 * checks the task is meant for this service and well formed, dispatches it by its role, reports an engine exception
 * as a crash (retryable), and never publishes a result larger than the message limit. Poison input throws
 * {@link PoisonMessageException}; a well-formed task for a role this service does not host fails on its merits.
 */
public final class TaskProcessor {
    private final Specialist service;
    private final Map<Role, SpecialistEngine> engines = new EnumMap<>(Role.class);
    private final LongSupplier clock;

    public TaskProcessor(Specialist service, Collection<? extends SpecialistEngine> engines) {
        this(service, engines, System::nanoTime);
    }

    public TaskProcessor(SpecialistEngine engine) {
        this(engine.role().service(), List.of(engine));
    }

    TaskProcessor(Specialist service, Collection<? extends SpecialistEngine> engines, LongSupplier nanoClock) {
        this.service = Objects.requireNonNull(service);
        this.clock = nanoClock;
        if (engines.isEmpty()) {
            throw new IllegalArgumentException(service.id() + " hosts no engine");
        }
        for (SpecialistEngine engine : engines) {
            Role role = Objects.requireNonNull(engine.role(), "an engine must name its role");
            if (role.service() != service) {
                throw new IllegalArgumentException("the engine of role " + role.id() + " belongs to "
                        + role.service().id() + ", not to " + service.id());
            }
            if (this.engines.put(role, engine) != null) {
                throw new IllegalArgumentException(service.id() + " has two engines for role " + role.id());
            }
        }
    }

    public Specialist service() {
        return service;
    }

    /** The roles this service hosts. */
    public Set<Role> roles() {
        return engines.keySet();
    }

    public TaskEvent parse(String payload) {
        TaskEvent task = Json.read(payload, TaskEvent.class);
        if (task.jobId() == null || task.jobId().isBlank() || task.step() < 1 || task.attempt() < 1
                || task.kind() == null || task.service() == null) {
            throw new PoisonMessageException("task lacks jobId, step, attempt, kind or service");
        }
        if (task.service() != service) {
            throw new PoisonMessageException("task for '" + task.service().id() + "' reached '" + service.id() + "'");
        }
        return task;
    }

    public ResultEvent process(TaskEvent task) {
        long start = clock.getAsLong();
        StepOutcome outcome;
        UsageLedger ledger = new UsageLedger(task.tokenBudget(), task.deadline());
        SpecialistEngine engine = Role.of(service, task.role()).map(engines::get).orElse(null);
        if (engine == null) {
            String why = Role.of(service, task.role()).isPresent()
                    ? service.id() + " does not host role '" + task.role() + "' yet; it hosts: "
                            + String.join(", ", engines.keySet().stream().map(Role::id).toList())
                    : Role.unknown(service, task.role());
            outcome = StepOutcome.failed(FailureKind.INVALID_INPUT, why, null);
        } else {
            try (UsageLedger.Scope bound = UsageLedger.bind(ledger)) {
                outcome = task.kind() == TaskKind.VALIDATE ? engine.validate(task) : engine.work(task);
                if (outcome == null) {
                    outcome = StepOutcome.failed(FailureKind.CRASH, "engine returned no outcome", null);
                }
            } catch (BudgetExceededException e) {
                outcome = StepOutcome.failed(FailureKind.BUDGET, e.getMessage(), null);
            } catch (ModelFailedException e) {
                outcome = StepOutcome.failed(FailureKind.MODEL, e.getMessage(), null);
            } catch (RuntimeException e) {
                outcome = StepOutcome.failed(FailureKind.CRASH,
                        "engine error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            }
        }
        long millis = (clock.getAsLong() - start) / 1_000_000;
        ResultEvent result = ResultEvent.of(task, outcome, millis, ledger.usage());
        int size = Json.utf8Length(Json.write(result));
        if (size > MessageLimits.MAX_PAYLOAD_BYTES) {
            result = ResultEvent.of(task, StepOutcome.failed(FailureKind.TOO_LARGE, "result of " + size
                    + " bytes exceeds the message limit of " + MessageLimits.MAX_PAYLOAD_BYTES + " bytes",
                    List.of()), millis, ledger.usage());
        }
        return result;
    }
}
