package dev.backendteam.runtime.messaging;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EventTypes;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskProcessor;
import dev.backendteam.contract.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes the service's task topic (channel {@value #TASKS}, configured as {@code backend-team.tasks.<service>})
 * and publishes one result per task on {@code backend-team.results}.
 * <p>
 * The returned stage completes only when Kafka has acknowledged the result, and the connector acknowledges
 * (commits) the task only then: a crash before that means redelivery. A failed stage nacks the task, which the
 * channel's dead-letter-queue strategy sends to {@code backend-team.dlq.tasks.<service>} with the reason.
 * Tasks of different jobs run concurrently on the bounded "specialist-tasks" worker pool
 * (BACKEND_TEAM_TASK_CONCURRENCY, default 4). Offsets are committed in order regardless; instances scale by partitions.
 */
@ApplicationScoped
public class TaskConsumer {
    /** The incoming channel's name in code; configuration maps it to the service's topic and dead-letter topic. */
    public static final String TASKS = "tasks";
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);

    private final TaskProcessor processor;
    private final Emitter<String> results;
    private final MeterRegistry meters;
    private final URI source;
    private final String service;

    public TaskConsumer(TaskProcessor processor, @Channel(Topics.RESULTS) Emitter<String> results,
            MeterRegistry meters) {
        this.processor = processor;
        this.results = results;
        this.meters = meters;
        this.service = processor.service().id();
        this.source = URI.create(Contract.SOURCE_PREFIX + service);
    }

    @Incoming(TASKS)
    @Blocking(value = "specialist-tasks", ordered = false)
    public CompletionStage<Void> consume(String payload) {
        TaskEvent task;
        try {
            if (payload == null || payload.isBlank()) {
                throw new PoisonMessageException("empty task record");
            }
            task = processor.parse(payload);
        } catch (PoisonMessageException e) {
            LOG.warnf("poison task on %s, dead-lettered: %s", Topics.tasks(processor.service()), e.getMessage());
            meters.counter("backend.team.tasks.poison", "service", service).increment();
            return CompletableFuture.failedFuture(e);
        }
        MDC.put("jobId", task.jobId());
        try {
            ResultEvent result = processor.process(task);
            Timer.builder("backend.team.task.duration").description("Time an engine spent on one task")
                    .tags("service", service, "role", task.role() == null ? "" : task.role(), "kind",
                            result.kind().wire(), "status", result.status().wire())
                    .register(meters).record(Duration.ofMillis(result.durationMs()));
            LOG.infof("task %s step %d attempt %d %s%s finished: %s%s in %d ms", task.taskId(), task.step(),
                    task.attempt(), task.kind().wire(), task.role() == null ? "" : " (" + task.role() + ")",
                    result.status().wire(), result.reason() == null ? "" : " (" + result.reason() + ")",
                    result.durationMs());
            return publish(result);
        } finally {
            MDC.remove("jobId");
        }
    }

    private CompletionStage<Void> publish(ResultEvent result) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        String id = result.taskId() != null ? result.taskId() + ":result" : UUID.randomUUID().toString();
        Message<String> message = Message.of(Json.write(result))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.jobId()).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(id)
                        .withType(EventTypes.RESULT)
                        .withSource(source)
                        .withSubject(result.jobId())
                        .withDataContentType("application/json")
                        .build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        results.send(message);
        return acknowledged;
    }
}
