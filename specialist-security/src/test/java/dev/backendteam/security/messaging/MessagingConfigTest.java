package dev.backendteam.security.messaging;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EventTypes;
import dev.backendteam.contract.MessageLimits;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** application.properties must agree with the contract: topic names, dead letters, CloudEvents and sizes. */
class MessagingConfigTest {
    private static final String IN = "mp.messaging.incoming.\"" + TaskConsumer.TASKS + "\".";
    private static final String OUT = "mp.messaging.outgoing.\"" + Topics.RESULTS + "\".";
    private static final Properties CONFIG = new Properties();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MessagingConfigTest.class.getResourceAsStream("/application.properties")) {
            CONFIG.load(in);
        }
    }

    private static String get(String key) {
        String value = CONFIG.getProperty(key);
        assertTrue(value != null, key + " is not set");
        return value;
    }

    @Test
    void channelsAreTheContractsTopics() {
        assertEquals(Topics.tasks(Specialist.SECURITY), TaskConsumer.TASKS);
        assertEquals(Topics.tasks(Specialist.SECURITY), get(IN + "topic"));
        assertEquals("smallrye-kafka", get(IN + "connector"));
        assertEquals("backend-team-" + Specialist.SECURITY.id(), get(IN + "group.id"));
        assertEquals("earliest", get(IN + "auto.offset.reset"));
        assertEquals(Topics.RESULTS, get(OUT + "topic"));
        assertEquals("smallrye-kafka", get(OUT + "connector"));
        assertEquals("smallrye-in-memory", get("%test." + IN + "connector"));
        assertEquals("smallrye-in-memory", get("%test." + OUT + "connector"));
    }

    @Test
    void poisonTasksGoToTheirDeadLetterTopic() {
        assertEquals("dead-letter-queue", get(IN + "failure-strategy"));
        assertEquals(Topics.deadLetters(Topics.tasks(Specialist.SECURITY)), get(IN + "dead-letter-queue.topic"));
        assertEquals("backend-team.dlq.tasks.security", get(IN + "dead-letter-queue.topic"));
    }

    @Test
    void resultsAreBinaryCloudEvents() {
        assertEquals("binary", get(OUT + "cloud-events-mode"));
        assertEquals(EventTypes.RESULT, get(OUT + "cloud-events-type"));
        assertEquals(Contract.SOURCE_PREFIX + Specialist.SECURITY.id(), get(OUT + "cloud-events-source"));
        assertEquals(TaskConsumer.SOURCE.toString(), get(OUT + "cloud-events-source"));
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
    void logLinesCarryTheJobAndTheServiceListensOnItsPort() {
        assertTrue(get("quarkus.log.console.format").contains("job=%X{jobId}"));
        assertEquals("${PORT:8082}", get("quarkus.http.port"));
        assertEquals("0.0.0.0", get("quarkus.http.host"));
        assertEquals("${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}", get("kafka.bootstrap.servers"));
    }
}
