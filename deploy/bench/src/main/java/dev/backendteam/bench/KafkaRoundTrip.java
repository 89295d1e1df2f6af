package dev.backendteam.bench;

import dev.backendteam.contract.MessageLimits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's own latency, for comparison: one producer and one consumer in this JVM on a fresh single-partition
 * topic, one record at a time — send, then poll until that record arrives — with the services' client settings
 * (gzip, acks=all, idempotence, String serde, 4 MiB limits, linger.ms 0; every other setting the kafka-clients
 * default). The topic is deleted afterwards.
 */
final class KafkaRoundTrip {
    static final int UNCOUNTED = 50;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ONE_TRIP_TIMEOUT = Duration.ofSeconds(10);

    record Result(String topic, List<Double> roundTripsMs, List<Double> acksMs) {
    }

    private KafkaRoundTrip() {
    }

    static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, MessageLimits.COMPRESSION);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MessageLimits.MAX_MESSAGE_BYTES);
        return p;
    }

    static Map<String, Object> consumerConfig(String bootstrap) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MessageLimits.MAX_MESSAGE_BYTES);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MessageLimits.MAX_MESSAGE_BYTES);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return c;
    }

    /** A JSON-like value of about {@code bytes} bytes that gzip compresses as it does the services' JSON. */
    static String payload(int bytes) {
        StringBuilder s = new StringBuilder("{\"jobId\":\"").append(UUID.randomUUID()).append("\",\"inputs\":\"");
        String filler = "ERROR: relation \\\"comments\\\" does not exist (SQLSTATE 42P01); ";
        while (s.length() < bytes - 2) {
            s.append(filler);
        }
        s.setLength(Math.max(0, bytes - 2));
        return s.append("\"}").toString();
    }

    static Result measure(String bootstrap, int trips, int payloadBytes, Instant deadline) {
        String topic = "bench.roundtrip." + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes",
                    Integer.toString(MessageLimits.MAX_MESSAGE_BYTES))))).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            try {
                return run(bootstrap, topic, trips, payloadBytes, deadline);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("raw Kafka round trip on " + bootstrap + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the raw Kafka round trip", e);
        }
    }

    private static Result run(String bootstrap, String topic, int trips, int payloadBytes, Instant deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        String value = payload(payloadBytes);
        List<Double> roundTrips = new ArrayList<>(trips);
        List<Double> acks = new ArrayList<>(trips);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap));
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap))) {
            // assign, not subscribe: no group rebalance in the measurement; position() forces the offset lookup now.
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < UNCOUNTED + trips; i++) {
                if (Instant.now().isAfter(deadline)) {
                    break;
                }
                String key = "rt-" + i;
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
                record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_type", "dev.backendteam.bench.roundtrip.v1".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_source", "urn:backend-team:bench".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_id", key.getBytes(StandardCharsets.UTF_8));
                AtomicLong ackedAt = new AtomicLong();
                long sent = System.nanoTime();
                var ack = producer.send(record, (metadata, failure) -> ackedAt.set(System.nanoTime()));
                long received = awaitRecord(consumer, key, sent);
                ack.get(ONE_TRIP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (i >= UNCOUNTED) {
                    roundTrips.add((received - sent) / 1e6);
                    acks.add((ackedAt.get() - sent) / 1e6);
                }
            }
        }
        return new Result(topic, roundTrips, acks);
    }

    private static long awaitRecord(KafkaConsumer<String, String> consumer, String key, long sent) {
        while (System.nanoTime() - sent < ONE_TRIP_TIMEOUT.toNanos()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                if (key.equals(r.key())) {
                    return System.nanoTime();
                }
            }
        }
        throw new IllegalStateException("record " + key + " did not come back within " + ONE_TRIP_TIMEOUT.toSeconds() + " s");
    }
}
