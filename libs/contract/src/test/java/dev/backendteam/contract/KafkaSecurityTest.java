package dev.backendteam.contract;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSecurityTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Test
    void nothingSetIsPlaintextWithNoProperties() {
        KafkaSecurity s = KafkaSecurity.fromEnvironment(Map.of());
        assertEquals("PLAINTEXT", s.protocol());
        assertEquals(Map.of(), s.clientProperties());
    }

    @Test
    void confluentCloudSaslSslPlainBuildsThePlainLoginModule() {
        Map<String, String> p = KafkaSecurity.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "KAFKA_SASL_USERNAME", "ABCKEY",
                "KAFKA_SASL_PASSWORD", "s3cr3t")).clientProperties();
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("PLAIN", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"ABCKEY\" "
                + "password=\"s3cr3t\";", p.get("sasl.jaas.config"));
        assertFalse(p.containsKey("ssl.truststore.type"), "the JVM's CAs trust a public broker");
    }

    @Test
    void scramMechanismsUseTheScramLoginModule() {
        for (String mechanism : new String[] {"SCRAM-SHA-256", "scram-sha-512"}) {
            Map<String, String> p = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "KAFKA_SASL_MECHANISM", mechanism, "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p"))
                    .clientProperties();
            assertEquals(mechanism.toUpperCase(), p.get("sasl.mechanism"));
            AppConfigurationEntry entry = parse(p.get("sasl.jaas.config"));
            assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
        }
    }

    @Test
    void quotesBackslashesAndLineBreaksSurviveKafkasJaasParser() {
        String password = "a\"b\\c d;e=f\ng}";
        String user = "svc \"x\"";
        Map<String, String> p = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_USERNAME", user, "KAFKA_SASL_PASSWORD", password)).clientProperties();
        AppConfigurationEntry entry = parse(p.get("sasl.jaas.config"));
        assertEquals(password, entry.getOptions().get("password"));
        assertEquals(user, entry.getOptions().get("username"));
        // unescaped, the same value breaks the parser: the test would notice a missing escape
        assertThrows(IllegalArgumentException.class, () -> parse(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
                        + password + "\";"));
    }

    @Test
    void configPropertiesCarryEachKeyUnderKafkaAndUnderItsVariableName() {
        Map<String, String> c = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "scram-sha-256", "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p"))
                .configProperties();
        assertEquals("SCRAM-SHA-256", c.get("kafka.sasl.mechanism"));
        assertEquals("SCRAM-SHA-256", c.get("KAFKA_SASL_MECHANISM"), "the checked value, not the raw variable");
        assertEquals(c.get("kafka.sasl.jaas.config"), c.get("KAFKA_SASL_JAAS_CONFIG"));
        assertEquals(6, c.size());
    }

    @Test
    void aJaasConfigIsUsedAsGiven() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";";
        Map<String, String> p = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", jaas)).clientProperties();
        assertEquals(jaas, p.get("sasl.jaas.config"));
    }

    @Test
    void truststoreFileOrPemText() {
        Map<String, String> file = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/trust.p12", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "tp",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "pkcs12")).clientProperties();
        assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.location", "/etc/kafka/trust.p12",
                "ssl.truststore.password", "tp", "ssl.truststore.type", "PKCS12"), file);

        Map<String, String> pem = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", PEM)).clientProperties();
        assertEquals("PEM", pem.get("ssl.truststore.type"));
        assertEquals(PEM.trim(), pem.get("ssl.truststore.certificates"));

        String oneLine = PEM.replace("\n", "\\n");
        Map<String, String> restored = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", oneLine)).clientProperties();
        assertEquals(PEM.trim(), restored.get("ssl.truststore.certificates"));
    }

    @Test
    void inconsistentSettingsAreRefusedNamingTheVariablesAndNeverThePassword() {
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "alice"),
                "KAFKA_SASL_USERNAME=alice is set but KAFKA_SASL_PASSWORD is not");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_PASSWORD", "hunter2"),
                "KAFKA_SASL_PASSWORD is set but KAFKA_SASL_USERNAME is not");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "GSSAPI",
                "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "hunter2"), "KAFKA_SASL_MECHANISM=GSSAPI is not one of");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"), "KAFKA_SECURITY_PROTOCOL=TLS is not one of");
        assertRefused(Map.of("KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "hunter2"),
                "KAFKA_SASL_USERNAME is set but KAFKA_SECURITY_PROTOCOL=PLAINTEXT");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "u",
                "KAFKA_SASL_PASSWORD", "hunter2", "KAFKA_SASL_JAAS_CONFIG", "x required;"), "not both");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "u",
                "KAFKA_SASL_PASSWORD", "hunter2", "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", PEM), "does not use TLS");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "hunter2"),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD is set but KAFKA_SSL_TRUSTSTORE_LOCATION is not");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "MIIB"),
                "no -----BEGIN CERTIFICATE----- block");
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", PEM,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "JKS"), "is PEM text, but KAFKA_SSL_TRUSTSTORE_TYPE=JKS");
    }

    @Test
    void toStringMasksEverySecret() {
        KafkaSecurity s = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_USERNAME", "alice", "KAFKA_SASL_PASSWORD", "hunter2",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/t.p12", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "storepass"));
        String text = s.toString();
        assertTrue(text.contains("username=alice"), text);
        assertFalse(text.contains("hunter2") || text.contains("storepass"), text);
    }

    @Test
    void explainsRefusedCredentialsTlsAndUnreachableBrokersWithTheVariablesToFix() {
        KafkaSecurity s = KafkaSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_USERNAME", "alice", "KAFKA_SASL_PASSWORD", "hunter2"));
        String refused = s.explain(new ExecutionException(new SaslAuthenticationException(
                "Authentication failed: Invalid username or password (hunter2)")), "broker:9092");
        assertTrue(refused.startsWith("Kafka at broker:9092 refused the SASL PLAIN credentials of user alice "
                + "(KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD): "), refused);
        assertFalse(refused.contains("hunter2"), refused);

        String tls = s.explain(new ExecutionException(new SslAuthenticationException("SSL handshake failed",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))), "broker:9092");
        assertTrue(tls.contains("TLS handshake") && tls.contains("the JVM's default CAs"), tls);

        String timeout = s.explain(new java.util.concurrent.TimeoutException(), "broker:9092");
        assertTrue(timeout.contains("did not answer in time (KAFKA_BOOTSTRAP_SERVERS"), timeout);
    }

    private static void assertRefused(Map<String, String> env, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.fromEnvironment(new HashMap<>(env)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    private static AppConfigurationEntry parse(String jaas) {
        var entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas)))
                .configurationEntries();
        assertEquals(1, entries.size());
        return entries.get(0);
    }
}
