package dev.backendteam.stack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaBrokerTest {
    private static final String TOPIC = "stack-test";

    @Test
    void brokerProcessCarriesARecordAtTheProjectSizeLimitAndKeepsItAcrossARestart(@TempDir Path state) throws Exception {
        PidFile pidFile = PidFile.of(state, KafkaBroker.COMPONENT);
        KafkaBroker broker = new KafkaBroker(state.resolve("kafka"), 0, 0).withPidFile(pidFile);
        // 3 MB: above Kafka's default 1 MB limit, within the project's 4 MB.
        String big = "x".repeat(3 * 1024 * 1024);
        long firstPid;
        try {
            broker.start();
            firstPid = broker.pid();
            assertNotEquals(ProcessHandle.current().pid(), firstPid);
            assertEquals(firstPid, pidFile.liveProcess().orElseThrow().pid());
            assertTrue(Files.readString(broker.logFile()).contains("Kafka Server started"));

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaBroker.MESSAGE_MAX_BYTES,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>(TOPIC, "job-1", big)).get();
            }
            assertEquals(big, consumeOne(broker, "first"));

            broker.stop();
            assertFalse(ProcessHandle.of(firstPid).map(Signals::isRunning).orElse(false));
            assertFalse(pidFile.exists());

            broker.start();
            assertNotEquals(firstPid, broker.pid());
            assertEquals(big, consumeOne(broker, "after-restart"), "the log dir survives a restart");
        } finally {
            broker.stop();
        }
        long lastPid = broker.pid();
        assertFalse(broker.isAlive());
        assertFalse(ProcessHandle.of(lastPid).map(Signals::isRunning).orElse(false));
    }

    private static String consumeOne(KafkaBroker broker, String group) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaBroker.MESSAGE_MAX_BYTES,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return !records.isEmpty();
            });
            assertEquals("job-1", records.get(0).key());
            return records.get(0).value();
        }
    }
}
