package dev.backendteam.runtime.health;

import dev.backendteam.contract.KafkaSecurity;
import dev.backendteam.runtime.config.KafkaSecurityConfigSource;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code /q/health/ready} is DOWN, saying why, while the broker cannot be used: credentials refused, a TLS trust
 * problem, or no answer (see {@link KafkaSecurity#explain}). Describes the cluster with the service's own Kafka
 * settings and a 5 s bound. Not in tests, whose channels are in memory.
 */
@Readiness
@ApplicationScoped
@UnlessBuildProfile("test")
public class KafkaReadiness implements HealthCheck {
    private static final int TIMEOUT_MS = 5000;

    private final String bootstrap;
    private final KafkaSecurity security;
    private Admin admin;

    public KafkaReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
        this.security = KafkaSecurityConfigSource.security();
    }

    @Override
    public HealthCheckResponse call() {
        try {
            String clusterId = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).clusterId()
                    .get(TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named("kafka").up().withData("bootstrap.servers", bootstrap)
                    .withData("security.protocol", security.protocol()).withData("cluster", clusterId).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(e);
        } catch (Exception e) {
            return down(e);
        }
    }

    private HealthCheckResponse down(Exception e) {
        return HealthCheckResponse.named("kafka").down().withData("bootstrap.servers", bootstrap)
                .withData("reason", security.explain(e, bootstrap)).build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(security.clientProperties());
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "backend-team-readiness");
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
