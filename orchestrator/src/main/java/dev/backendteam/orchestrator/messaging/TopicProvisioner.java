package dev.backendteam.orchestrator.messaging;

import dev.backendteam.contract.MessageLimits;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.Topics;
import dev.backendteam.orchestrator.config.KafkaSecurityConfigSource;
import dev.backendteam.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the contract's topics at start-up with explicit partitions and the message size limit, so that no topic
 * is left to broker defaults. Existing topics are left as they are. The admin client takes the same Kafka security
 * as the channels ({@link KafkaSecurityConfigSource}).
 */
@ApplicationScoped
public class TopicProvisioner {
    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);

    private final OrchestratorConfig config;
    private final String bootstrap;

    public TopicProvisioner(OrchestratorConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void provision(@Observes StartupEvent event) {
        if (!config.topics().provision()) {
            return;
        }
        List<String> names = new ArrayList<>(List.of(Topics.RESULTS, Topics.JOBS_REQUESTED, Topics.JOBS_ANSWERS,
                Topics.JOBS_UPDATES, Topics.JOBS_COMPLETED));
        for (Specialist s : Specialist.values()) {
            names.add(Topics.tasks(s));
            names.add(Topics.deadLetters(Topics.tasks(s)));
        }
        names.add(Topics.deadLetters(Topics.RESULTS));
        names.add(Topics.deadLetters(Topics.JOBS_REQUESTED));
        names.add(Topics.deadLetters(Topics.JOBS_ANSWERS));
        Map<String, String> topicConfig = Map.of("max.message.bytes", String.valueOf(MessageLimits.MAX_MESSAGE_BYTES));
        Map<String, Object> adminConfig = new HashMap<>(KafkaSecurityConfigSource.security().clientProperties());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (Admin admin = Admin.create(adminConfig)) {
            List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, config.topics().partitions(),
                    config.topics().replicationFactor())
                    .configs(topicConfig)).toList();
            int created = 0;
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                                + KafkaSecurityConfigSource.security().explain(e, bootstrap), e.getCause());
                    }
                }
            }
            LOG.infof("topics ready: %d created, %d already present", created, names.size() - created);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within 30 s", e);
        }
    }
}
