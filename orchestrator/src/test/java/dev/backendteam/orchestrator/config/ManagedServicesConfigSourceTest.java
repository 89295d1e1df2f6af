package dev.backendteam.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's ConfigSources for a managed Kafka and a managed PostgreSQL, fed an environment of their own. */
class ManagedServicesConfigSourceTest {

    @Test
    void saslSslBecomesKafkaDefaultsForEveryChannel() {
        KafkaSecurityConfigSource source = new KafkaSecurityConfigSource(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256", "KAFKA_SASL_USERNAME", "svc", "KAFKA_SASL_PASSWORD", "pw"));
        assertEquals("SASL_SSL", source.getValue("kafka.security.protocol"));
        assertEquals("SCRAM-SHA-256", source.getValue("kafka.sasl.mechanism"));
        assertTrue(source.getValue("kafka.sasl.jaas.config").startsWith(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""));
        assertTrue(source.getPropertyNames().stream().allMatch(n -> n.startsWith("kafka.")), source.getPropertyNames().toString());
        assertTrue(source.getOrdinal() > 300, "above the environment variables of the same names");
    }

    @Test
    void plaintextAddsNothingAndInconsistentSettingsStopTheStart() {
        assertEquals(Map.of(), new KafkaSecurityConfigSource(Map.of()).getProperties());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KafkaSecurityConfigSource(
                Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_PASSWORD", "hunter2")));
        assertTrue(e.getMessage().contains("KAFKA_SASL_USERNAME"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void databaseUrlFillsTheDatasourceUnlessTheQuarkusUrlIsSet() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://railway:pw@db.railway.internal:5432/railway?sslmode=require");
        JobStoreConfigSource source = new JobStoreConfigSource(env, null);
        assertEquals("jdbc:postgresql://db.railway.internal:5432/railway?sslmode=require",
                source.getValue(JobStoreConfigSource.URL));
        assertEquals("railway", source.getValue(JobStoreConfigSource.USERNAME));
        assertEquals("pw", source.getValue(JobStoreConfigSource.PASSWORD));
        assertTrue(source.getOrdinal() > 250 && source.getOrdinal() < 300,
                "above application.properties, below QUARKUS_DATASOURCE_* variables");

        Map<String, String> both = Map.of("DATABASE_URL", env.get("DATABASE_URL"),
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://explicit/db");
        assertEquals(Map.of(), new JobStoreConfigSource(both, null).getProperties());
        assertEquals(Map.of(), new JobStoreConfigSource(env, "jdbc:postgresql://from-a-system-property/db").getProperties());
    }

    @Test
    void pgVariablesWhenThereIsNoDatabaseUrl() {
        JobStoreConfigSource source = new JobStoreConfigSource(Map.of("PGHOST", "pg", "PGUSER", "u", "PGPASSWORD", "p",
                "PGDATABASE", "jobs", "PGSSLMODE", "require"), null);
        assertEquals("jdbc:postgresql://pg/jobs?sslmode=require", source.getValue(JobStoreConfigSource.URL));
        assertEquals(Map.of(), new JobStoreConfigSource(Map.of(), null).getProperties());
    }

    @Test
    void aBadDatabaseUrlStopsTheStartWithoutThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JobStoreConfigSource(
                Map.of("DATABASE_URL", "postgresql://u:hunter2@db:port/x"), null));
        assertTrue(e.getMessage().startsWith("DATABASE_URL=postgresql://u:***@db:port/x"), e.getMessage());
    }
}
