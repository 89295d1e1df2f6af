package dev.backendteam.runtime.config;

import dev.backendteam.contract.KafkaSecurity;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Kafka security of the contract's {@link KafkaSecurity} ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*},
 * {@code KAFKA_SSL_TRUSTSTORE_*}) as {@code kafka.} properties, which every channel and its dead-letter producer take
 * as defaults; the readiness check uses {@link #security()}. Inconsistent variables stop
 * the start with the variables to fix. Its ordinal sits above the environment variables (300), whose names SmallRye
 * maps to the same properties, so that the checked value is the one used; system properties (400) still win.
 */
public class KafkaSecurityConfigSource implements ConfigSource {
    private static volatile KafkaSecurity current;
    private final Map<String, String> properties;

    public KafkaSecurityConfigSource() {
        this(System.getenv());
    }

    KafkaSecurityConfigSource(Map<String, String> env) {
        KafkaSecurity security = KafkaSecurity.fromEnvironment(env);
        current = security;
        this.properties = security.configProperties();
    }

    /** The settings of this process's environment. */
    public static KafkaSecurity security() {
        KafkaSecurity s = current;
        return s != null ? s : KafkaSecurity.fromEnvironment(System.getenv());
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet().stream().filter(k -> k.startsWith("kafka.")).collect(Collectors.toSet());
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public int getOrdinal() {
        return 310;
    }

    @Override
    public String getName() {
        return "backend-team Kafka security";
    }
}
