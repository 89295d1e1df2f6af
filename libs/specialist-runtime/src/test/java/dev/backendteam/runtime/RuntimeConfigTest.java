package dev.backendteam.runtime;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EventTypes;
import dev.backendteam.contract.MessageLimits;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.Topics;
import dev.backendteam.runtime.messaging.TaskConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared configuration must agree with the contract: topic names, dead letters, CloudEvents and sizes, for
 * whichever service sets {@code backend-team.service}.
 */
class RuntimeConfigTest {
    private static final String IN = "mp.messaging.incoming." + TaskConsumer.TASKS + ".";
    private static final String OUT = "mp.messaging.outgoing.\"" + Topics.RESULTS + "\".";
    private static final Properties CONFIG = new Properties();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = TaskConsumer.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            CONFIG.load(in);
        }
    }

    private static String get(String key) {
        String value = CONFIG.getProperty(key);
        assertTrue(value != null, key + " is not set");
        return value;
    }

    /** The value with {@code ${backend-team.service}} expanded as a service would have it. */
    private static String forService(String key, Specialist service) {
        return get(key).replace("${backend-team.service}", service.id());
    }

    @Test
    void eachServiceConsumesItsOwnTopicInItsOwnGroupAndDeadLettersItsPoison() {
        for (Specialist s : Specialist.values()) {
            assertEquals(Topics.tasks(s), forService(IN + "topic", s));
            assertEquals("backend-team-" + s.id(), forService(IN + "group.id", s));
            assertEquals(Topics.deadLetters(Topics.tasks(s)), forService(IN + "dead-letter-queue.topic", s));
            assertEquals(Contract.SOURCE_PREFIX + s.id(), forService(OUT + "cloud-events-source", s));
        }
        assertEquals("backend-team.dlq.tasks.security", forService(IN + "dead-letter-queue.topic",
                Specialist.SECURITY));
        assertEquals("dead-letter-queue", get(IN + "failure-strategy"));
        // its producer is built on the first dead letter (SpineIT sends one through a real broker)
        assertEquals("true", get(IN + "dead-letter-queue.lazy-client"));
        assertEquals("smallrye-kafka", get(IN + "connector"));
        assertEquals("earliest", get(IN + "auto.offset.reset"));
        assertEquals(Topics.RESULTS, get(OUT + "topic"));
        assertEquals("smallrye-in-memory", get("%test." + IN + "connector"));
        assertEquals("smallrye-in-memory", get("%test." + OUT + "connector"));
    }

    @Test
    void resultsAreBinaryCloudEvents() {
        assertEquals("true", get(OUT + "cloud-events"));
        assertEquals("binary", get(OUT + "cloud-events-mode"));
        assertEquals(EventTypes.RESULT, get(OUT + "cloud-events-type"));
        assertEquals("application/json", get(OUT + "cloud-events-data-content-type"));
    }

    @Test
    void sizesAndCompressionMirrorMessageLimits() {
        int max = MessageLimits.MAX_MESSAGE_BYTES;
        assertEquals(max, Integer.parseInt(get(OUT + "max.request.size")));
        assertEquals(MessageLimits.COMPRESSION, get(OUT + "compression.type"));
        assertEquals(max, Integer.parseInt(get(IN + "dead-letter-queue.max.request.size")));
        assertEquals(MessageLimits.COMPRESSION, get(IN + "dead-letter-queue.compression.type"));
        assertTrue(Integer.parseInt(get(IN + "max.partition.fetch.bytes")) >= max);
        assertTrue(Integer.parseInt(get(IN + "fetch.max.bytes")) >= max);
    }

    @Test
    void logLinesCarryTheJobAndServicesListenOnEveryInterface() {
        assertTrue(get("quarkus.log.console.format").contains("job=%X{jobId}"));
        assertEquals("0.0.0.0", get("quarkus.http.host"));
        assertEquals("${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}", get("kafka.bootstrap.servers"));
        assertEquals("${BACKEND_TEAM_TASK_CONCURRENCY:4}",
                get("smallrye.messaging.worker.specialist-tasks.max-concurrency"));
        assertEquals("false", get("quarkus.devservices.enabled"));
    }
}
