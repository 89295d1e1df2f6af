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
import org.apache.kafka.clients.admin.NewPartitions;
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

    /**
     * A topic with fewer partitions than configured (created by an older setting, or auto-created by a broker before
     * this ran) gets the missing ones: replicas beyond its count would otherwise idle. Partitions are never removed.
     */
    private int raisePartitions(Admin admin, List<String> names) throws InterruptedException,
            java.util.concurrent.TimeoutException {
        int wanted = config.topics().partitions();
        Map<String, NewPartitions> raise = new HashMap<>();
        try {
            for (var d : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                if (d.partitions().size() < wanted) {
                    LOG.warnf("topic %s has %d partitions, fewer than the %d configured: adding %d", d.name(),
                            d.partitions().size(), wanted, wanted - d.partitions().size());
                    raise.put(d.name(), NewPartitions.increaseTo(wanted));
                }
            }
            if (!raise.isEmpty()) {
                admin.createPartitions(raise).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check or raise the topics' partitions: "
                    + KafkaSecurityConfigSource.security().explain(e, bootstrap), e.getCause());
        }
        return raise.size();
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
            int raised = raisePartitions(admin, names);
            LOG.infof("topics ready: %d created, %d already present%s", created, names.size() - created,
                    raised == 0 ? "" : ", " + raised + " raised to " + config.topics().partitions() + " partitions");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within 30 s", e);
        }
    }
}
