package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.llm.ModelUsage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A job with its steps and artifacts, as loaded (locked) from the store, plus what changed since: the repository
 * writes the changes, the timeline events and the outgoing messages in one transaction.
 */
public final class Job {

    public record Event(int seq, String type, JobStatus status, Integer step, Specialist service, String role,
            String message, String question, Instant at) {
    }

    public record Outgoing(String topic, String key, String type, String payload) {
    }

    public record StoredArtifact(int seq, int stepSeq, Artifact artifact) {
    }

    /** Model calls taken into the job's accounts since it was loaded, by the service that made them. */
    public record Spending(String service, ModelUsage usage) {
    }

    /** The service name under which the orchestrator's own model calls are counted. */
    public static final String ORCHESTRATOR = "orchestrator";

    public final UUID id;
    public final String owner;
    public final String task;
    public final String correlationId;
    public final String idempotencyKey;
    public final String requestHash;
    public final Instant createdAt;
    public JobStatus status;
    public String flow;
    public JobInputs inputs;
    public List<FlowStep> plan;
    public String question;
    public String reason;
    public int handoffDepth;
    public int lastEvent;
    public Instant updatedAt;
    public Instant finishedAt;
    public final List<Step> steps;
    public final List<StoredArtifact> artifacts;
    /** The model calls the orchestrator made for this job itself (planning), as opposed to its steps'. */
    public ModelUsage orchestratorUsage = ModelUsage.NONE;

    private final boolean created;
    private final int loadedArtifacts;
    private final Set<Integer> changedSteps = new LinkedHashSet<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Outgoing> outgoing = new ArrayList<>();
    private final List<Spending> spending = new ArrayList<>();

    public Job(UUID id, String owner, String task, String correlationId, String idempotencyKey, String requestHash,
            Instant createdAt, JobStatus status, String flow, JobInputs inputs, List<FlowStep> plan, String question,
            String reason, int handoffDepth, int lastEvent, Instant updatedAt, Instant finishedAt, List<Step> steps,
            List<StoredArtifact> artifacts, boolean created) {
        this.id = id;
        this.owner = owner;
        this.task = task;
        this.correlationId = correlationId;
        this.idempotencyKey = idempotencyKey;
        this.requestHash = requestHash;
        this.createdAt = createdAt;
        this.status = status;
        this.flow = flow;
        this.inputs = inputs;
        this.plan = new ArrayList<>(plan);
        this.question = question;
        this.reason = reason;
        this.handoffDepth = handoffDepth;
        this.lastEvent = lastEvent;
        this.updatedAt = updatedAt;
        this.finishedAt = finishedAt;
        this.steps = new ArrayList<>(steps);
        this.artifacts = new ArrayList<>(artifacts);
        this.created = created;
        this.loadedArtifacts = artifacts.size();
    }

    /** A job that is not stored yet. */
    public static Job create(UUID id, String owner, String task, JobInputs inputs, String flow, String correlationId,
            String idempotencyKey, String requestHash, Instant now) {
        return new Job(id, owner, task, correlationId, idempotencyKey, requestHash, now, JobStatus.QUEUED, flow,
                inputs, List.of(), null, null, 0, 0, now, null, List.of(), List.of(), true);
    }

    public boolean isCreated() {
        return created;
    }

    public Optional<Step> step(int seq) {
        return seq >= 1 && seq <= steps.size() ? Optional.of(steps.get(seq - 1)) : Optional.empty();
    }

    Step addStep(Step step) {
        steps.add(step);
        changedSteps.add(step.seq);
        return step;
    }

    void touch(Step step) {
        changedSteps.add(step.seq);
    }

    /** Adds model calls the orchestrator made for this job; they count against its token budget like a step's. */
    public void addOrchestratorUsage(ModelUsage usage) {
        if (usage != null && !usage.isEmpty()) {
            orchestratorUsage = ModelUsage.of(List.of(orchestratorUsage, usage));
            spending.add(new Spending(ORCHESTRATOR, usage));
        }
    }

    void addStepUsage(Step step, ModelUsage usage) {
        if (usage != null && !usage.isEmpty()) {
            step.usage = ModelUsage.of(List.of(step.usage, usage));
            touch(step);
            spending.add(new Spending(step.service.id(), usage));
        }
    }

    /** Every model call of the job: the orchestrator's own, then its steps' in step order. */
    public ModelUsage usage() {
        List<ModelUsage> parts = new ArrayList<>();
        parts.add(orchestratorUsage);
        steps.forEach(s -> parts.add(s.usage));
        return ModelUsage.of(parts);
    }

    public long tokensSpent() {
        return usage().tokens();
    }

    void addArtifact(int stepSeq, Artifact artifact) {
        artifacts.add(new StoredArtifact(artifacts.size() + 1, stepSeq, artifact));
    }

    Event record(String type, Step step, String message, String question, Instant at) {
        Event event = new Event(++lastEvent, type, status, step == null ? null : step.seq,
                step == null ? null : step.service, step == null ? null : step.role, message, question, at);
        events.add(event);
        return event;
    }

    void send(Outgoing message) {
        outgoing.add(message);
    }

    public List<Step> changedSteps() {
        return changedSteps.stream().map(seq -> steps.get(seq - 1)).toList();
    }

    public List<StoredArtifact> newArtifacts() {
        return artifacts.subList(loadedArtifacts, artifacts.size());
    }

    public List<Event> newEvents() {
        return List.copyOf(events);
    }

    public List<Outgoing> outgoing() {
        return List.copyOf(outgoing);
    }

    /** The model calls added since the job was loaded, for the metrics once they are stored. */
    public List<Spending> newSpending() {
        return List.copyOf(spending);
    }

    /**
     * Whether the job is proven: completed, and its validation round passed at least one check and failed none. A
     * job completed with checks that did not run ({@code not_run}) or with no checks at all is not.
     */
    public boolean proven() {
        Tally checks = validationTally();
        return status == JobStatus.COMPLETED && checks.passed() > 0 && checks.failed() == 0;
    }

    /** The checks of the validation round, counted by status. */
    public record Tally(long passed, long failed, long notRun) {
        /** "9 passed, 0 failed, 3 not run". */
        public String describe() {
            return passed + " passed, " + failed + " failed, " + notRun + " not run";
        }
    }

    /** The evidence of the validation round's steps, counted by status. */
    public Tally validationTally() {
        List<Evidence> checks = steps.stream().filter(s -> s.kind == TaskKind.VALIDATE && s.result != null)
                .flatMap(s -> s.result.evidence().stream()).toList();
        return new Tally(checks.stream().filter(Evidence::passed).count(),
                checks.stream().filter(Evidence::failed).count(), checks.stream().filter(e -> !e.ran()).count());
    }

    public List<Artifact> artifactList() {
        return artifacts.stream().map(StoredArtifact::artifact).toList();
    }
}
