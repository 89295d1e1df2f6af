package dev.backendteam.stack;

import dev.backendteam.contract.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void saslSslOnlyBrokerServesItsUserThroughTheTruststoreOrThePemAndRefusesOthers(@TempDir Path state)
            throws Exception {
        try (KafkaBroker broker = new KafkaBroker(state.resolve("kafka"), 0, 0).withSaslSsl("SCRAM-SHA-256", "alice")) {
            broker.start();
            String server = Files.readString(broker.directory().resolve("server.properties"));
            assertTrue(server.contains("listeners=SASL_SSL://127.0.0.1:" + broker.port() + ",CONTROLLER://"), server);
            assertFalse(server.contains("PLAINTEXT://127.0.0.1:" + broker.port()), "no plaintext client listener");

            Map<String, Object> client = broker.clientProperties();
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals("PKCS12", client.get("ssl.truststore.type"));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(with(client,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>(TOPIC, "job-1", "over SASL_SSL")).get(30, TimeUnit.SECONDS);
            }
            // the same broker trusted through KAFKA_SSL_TRUSTSTORE_CERTIFICATES (PEM text) instead of the file
            Map<String, String> env = new HashMap<>(broker.clientEnvironment());
            env.remove(KafkaSecurity.TRUSTSTORE_LOCATION);
            env.remove(KafkaSecurity.TRUSTSTORE_PASSWORD);
            env.remove(KafkaSecurity.TRUSTSTORE_TYPE);
            env.put(KafkaSecurity.TRUSTSTORE_CERTIFICATES, Files.readString(broker.certificatePem()));
            Map<String, Object> pem = new HashMap<>(KafkaSecurity.fromEnvironment(env).clientProperties());
            pem.put("bootstrap.servers", broker.bootstrapServers());
            assertEquals("over SASL_SSL", consumeOne(pem, "pem"));

            env.put(KafkaSecurity.PASSWORD, "wrong-password");
            Map<String, Object> wrong = new HashMap<>(KafkaSecurity.fromEnvironment(env).clientProperties());
            wrong.put("bootstrap.servers", broker.bootstrapServers());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> describe(wrong));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());

            Map<String, Object> plaintext = Map.of("bootstrap.servers", broker.bootstrapServers());
            assertThrows(Exception.class, () -> describe(plaintext), "a plaintext client gets no answer");
        }
    }

    private static void describe(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(c)) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> m = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static String consumeOne(KafkaBroker broker, String group) {
        return consumeOne(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), group);
    }

    private static String consumeOne(Map<String, Object> client, String group) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(with(client,
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
