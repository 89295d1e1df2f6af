package dev.backendteam.orchestrator.service;

import dev.backendteam.contract.Contract;
import dev.backendteam.orchestrator.config.OrchestratorConfig;
import dev.backendteam.orchestrator.repository.Database;
import dev.backendteam.orchestrator.repository.JobRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the outbox: rows are read in id order, sent to their topics as CloudEvents (binary mode, key = job
 * id), and deleted only after Kafka acknowledged them, in the transaction that read them. A crash between send
 * and delete re-sends (at-least-once); consumers deduplicate. Woken right after a commit, and polls besides.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final URI SOURCE = URI.create(Contract.SOURCE_PREFIX + "orchestrator");
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final Database db;
    private final JobRepository repo;
    private final Emitter<String> emitter;
    private final Duration pollInterval;
    private final int batchSize;
    private final Object signal = new Object();
    private volatile boolean running;
    private boolean woken;
    private Thread thread;

    public OutboxRelay(Database db, JobRepository repo, @Channel("backend-team-outbox") Emitter<String> emitter,
            OrchestratorConfig config) {
        this.db = db;
        this.repo = repo;
        this.emitter = emitter;
        this.pollInterval = config.outbox().pollInterval();
        this.batchSize = config.outbox().batchSize();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wakeUp();
        if (thread != null) {
            thread.join(5_000);
        }
    }

    public void wakeUp() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                int sent = relayOnce();
                backoff = 0;
                if (sent == 0) {
                    awaitSignal(pollInterval.toMillis());
                }
            } catch (RuntimeException e) {
                backoff = Math.min(5_000, backoff == 0 ? 200 : backoff * 2);
                LOG.warnf("outbox relay failed (%s); retrying in %d ms", e.getMessage(), backoff);
                awaitSignal(backoff);
            }
        }
    }

    private void awaitSignal(long millis) {
        synchronized (signal) {
            if (!woken) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    /** One batch: returns how many rows were published. */
    int relayOnce() {
        return db.inTransaction(c -> {
            List<JobRepository.OutboxRow> rows = repo.takeOutbox(c, batchSize);
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
            for (JobRepository.OutboxRow row : rows) {
                acks.add(send(row));
            }
            try {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing the outbox", e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge the outbox batch: " + e.getMessage(), e);
            }
            repo.deleteOutbox(c, rows.stream().map(JobRepository.OutboxRow::id).toList());
            return rows.size();
        });
    }

    private CompletableFuture<Void> send(JobRepository.OutboxRow row) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic()).withKey(row.key()).build();
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId("outbox-" + row.id() + "-" + row.key()).withType(row.type()).withSource(SOURCE)
                .withSubject(row.key()).withDataContentType("application/json").build();
        Message<String> message = Message.of(row.payload(), Metadata.of(kafka, ce), () -> {
            ack.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            ack.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        });
        emitter.send(message);
        return ack;
    }
}
