package dev.backendteam.orchestrator.messaging;

import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.Topics;
import dev.backendteam.orchestrator.config.EventOwners;
import dev.backendteam.orchestrator.service.InvalidRequestException;
import dev.backendteam.orchestrator.service.JobConflictException;
import dev.backendteam.orchestrator.service.JobService;
import dev.backendteam.orchestrator.service.RequestReader;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Jobs submitted by other systems: the same body and checks as {@code POST /jobs}. The correlation id doubles as
 * the idempotency key, so a redelivered request never creates a second job. An invalid request is dead-lettered
 * with the same explanation a REST caller would get: it is nacked here, not thrown, because this method acks its
 * records itself (it takes the Message), and for such a method a thrown exception stops the channel instead of
 * nacking the record.
 */
@ApplicationScoped
public class JobRequestConsumer {
    private final JobService jobs;
    private final RequestReader reader;
    private final EventOwners owners;

    public JobRequestConsumer(JobService jobs, RequestReader reader, EventOwners owners) {
        this.jobs = jobs;
        this.reader = reader;
        this.owners = owners;
    }

    @Incoming(Topics.JOBS_REQUESTED)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        JobRequest request;
        try {
            request = reader.readRequest(message.getPayload() == null ? null
                    : message.getPayload().getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRequestException e) {
            String fields = e.violations().stream().map(v -> v.field() + " " + v.message())
                    .collect(Collectors.joining("; "));
            return message.nack(new PoisonMessageException(e.getMessage()
                    + (fields.isEmpty() ? "" : " (" + fields + ")")));
        }
        String key = request.correlationId() != null ? "correlation:" + request.correlationId()
                : message.getMetadata(IncomingKafkaRecordMetadata.class)
                        .map(m -> "record:" + m.getTopic() + "/" + m.getPartition() + "/" + m.getOffset())
                        .orElse(null);
        String owner = owners.ownerOf(source(message));
        try {
            StoreRetry.run(() -> jobs.submit(owner, request, key));
        } catch (JobConflictException e) {
            return message.nack(new PoisonMessageException(e.getMessage()));
        }
        return message.ack();
    }

    /** The record's CloudEvents source ({@code ce_source}, binary mode), if it has one. */
    private static String source(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader("ce_source"))
                .map(h -> h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8))
                .orElse(null);
    }
}
