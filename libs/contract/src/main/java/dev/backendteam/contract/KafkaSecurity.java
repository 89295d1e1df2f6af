package dev.backendteam.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How every service authenticates to Kafka and trusts its certificate, from environment variables alone, so that a
 * managed broker (Confluent Cloud, Redpanda Cloud, Aiven: SASL_SSL) needs no file of configuration. The Quarkus
 * services apply {@link #clientProperties()} to every Kafka client they make (channels, dead-letter producers, the
 * topic provisioner, the readiness check). Inconsistent settings are refused with the variables to fix; the
 * password, a JAAS configuration and PEM text never appear in a message or in {@link #toString()}.
 *
 * <p>Variables: {@value #PROTOCOL} ({@code PLAINTEXT} default, {@code SSL}, {@code SASL_PLAINTEXT}, {@code SASL_SSL});
 * {@value #MECHANISM} ({@code PLAIN} default with SASL, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512});
 * {@value #USERNAME} + {@value #PASSWORD}, or {@value #JAAS_CONFIG} as given; {@value #TRUSTSTORE_LOCATION} +
 * {@value #TRUSTSTORE_PASSWORD} (+ {@value #TRUSTSTORE_TYPE}), or {@value #TRUSTSTORE_CERTIFICATES} (PEM text).
 */
public record KafkaSecurity(
        String protocol,
        String mechanism,
        String username,
        String password,
        String jaasConfig,
        String truststoreLocation,
        String truststorePassword,
        String truststoreType,
        String truststoreCertificates) {

    public static final String PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    public static final String MECHANISM = "KAFKA_SASL_MECHANISM";
    public static final String USERNAME = "KAFKA_SASL_USERNAME";
    public static final String PASSWORD = "KAFKA_SASL_PASSWORD";
    public static final String JAAS_CONFIG = "KAFKA_SASL_JAAS_CONFIG";
    public static final String TRUSTSTORE_LOCATION = "KAFKA_SSL_TRUSTSTORE_LOCATION";
    public static final String TRUSTSTORE_PASSWORD = "KAFKA_SSL_TRUSTSTORE_PASSWORD";
    public static final String TRUSTSTORE_TYPE = "KAFKA_SSL_TRUSTSTORE_TYPE";
    public static final String TRUSTSTORE_CERTIFICATES = "KAFKA_SSL_TRUSTSTORE_CERTIFICATES";

    /** The Kafka client property names this class may set. */
    public static final List<String> PROPERTY_NAMES = List.of("security.protocol", "sasl.mechanism",
            "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
            "ssl.truststore.certificates");

    static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    static final Map<String, String> LOGIN_MODULES = Map.of(
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");
    private static final Set<String> TRUSTSTORE_TYPES = Set.of("JKS", "PKCS12", "PEM");
    private static final String MASK = "***";

    public KafkaSecurity {
        protocol = protocol == null ? "PLAINTEXT" : protocol;
        List<String> problems = new ArrayList<>();
        if (!PROTOCOLS.contains(protocol)) {
            problems.add(PROTOCOL + "=" + protocol + " is not one of " + String.join(", ", PROTOCOLS));
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        if (sasl) {
            mechanism = mechanism == null ? "PLAIN" : mechanism;
            if (!LOGIN_MODULES.containsKey(mechanism)) {
                problems.add(MECHANISM + "=" + mechanism + " is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
            }
            if (jaasConfig != null && (username != null || password != null)) {
                problems.add("set either " + JAAS_CONFIG + " or " + USERNAME + " and " + PASSWORD + ", not both");
            } else if (jaasConfig == null) {
                if (username == null && password == null) {
                    problems.add(PROTOCOL + "=" + protocol + " needs " + USERNAME + " and " + PASSWORD
                            + " (or " + JAAS_CONFIG + ")");
                } else if (username == null) {
                    problems.add(PASSWORD + " is set but " + USERNAME + " is not");
                } else if (password == null) {
                    problems.add(USERNAME + "=" + username + " is set but " + PASSWORD + " is not");
                }
            }
        } else {
            for (String[] v : new String[][] {{MECHANISM, mechanism}, {USERNAME, username}, {PASSWORD, password},
                    {JAAS_CONFIG, jaasConfig}}) {
                if (v[1] != null) {
                    problems.add(v[0] + " is set but " + PROTOCOL + "=" + protocol
                            + " does not authenticate with SASL (SASL_SSL or SASL_PLAINTEXT does)");
                }
            }
        }
        if (tls) {
            if (truststoreLocation != null && truststoreCertificates != null) {
                problems.add("set either " + TRUSTSTORE_LOCATION + " or " + TRUSTSTORE_CERTIFICATES + ", not both");
            }
            if (truststoreLocation == null && truststorePassword != null) {
                problems.add(TRUSTSTORE_PASSWORD + " is set but " + TRUSTSTORE_LOCATION + " is not");
            }
            if (truststoreType != null && !TRUSTSTORE_TYPES.contains(truststoreType)) {
                problems.add(TRUSTSTORE_TYPE + "=" + truststoreType + " is not one of JKS, PKCS12, PEM");
            }
            if (truststoreCertificates != null) {
                if (truststoreType != null && !truststoreType.equals("PEM")) {
                    problems.add(TRUSTSTORE_CERTIFICATES + " is PEM text, but " + TRUSTSTORE_TYPE + "=" + truststoreType);
                }
                if (!truststoreCertificates.contains("-----BEGIN CERTIFICATE-----")) {
                    problems.add(TRUSTSTORE_CERTIFICATES + " holds no -----BEGIN CERTIFICATE----- block");
                }
                truststoreType = "PEM";
            }
        } else {
            for (String[] v : new String[][] {{TRUSTSTORE_LOCATION, truststoreLocation},
                    {TRUSTSTORE_PASSWORD, truststorePassword}, {TRUSTSTORE_TYPE, truststoreType},
                    {TRUSTSTORE_CERTIFICATES, truststoreCertificates}}) {
                if (v[1] != null) {
                    problems.add(v[0] + " is set but " + PROTOCOL + "=" + protocol
                            + " does not use TLS (SSL or SASL_SSL does)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Kafka security settings are inconsistent: " + String.join("; ", problems));
        }
    }

    /** Plaintext, no authentication: a local broker. */
    public static KafkaSecurity plaintext() {
        return new KafkaSecurity(null, null, null, null, null, null, null, null, null);
    }

    /**
     * The settings of these variables (blank counts as unset; protocol and mechanism are read case-insensitively).
     * PEM text whose line breaks arrived as the two characters {@code \n} (a dashboard's one-line field) is
     * restored.
     */
    public static KafkaSecurity fromEnvironment(Map<String, String> env) {
        String certificates = value(env, TRUSTSTORE_CERTIFICATES);
        if (certificates != null && !certificates.contains("\n")) {
            certificates = certificates.replace("\\n", "\n").trim();
        }
        return new KafkaSecurity(upper(value(env, PROTOCOL)), upper(value(env, MECHANISM)), value(env, USERNAME),
                rawValue(env, PASSWORD), value(env, JAAS_CONFIG), value(env, TRUSTSTORE_LOCATION),
                rawValue(env, TRUSTSTORE_PASSWORD), upper(value(env, TRUSTSTORE_TYPE)), certificates);
    }

    public boolean usesSasl() {
        return protocol.startsWith("SASL_");
    }

    public boolean usesTls() {
        return protocol.endsWith("SSL");
    }

    /** The Kafka client properties (without {@code bootstrap.servers}); empty for plaintext. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (protocol.equals("PLAINTEXT")) {
            return p;
        }
        p.put("security.protocol", protocol);
        if (usesSasl()) {
            p.put("sasl.mechanism", mechanism);
            p.put("sasl.jaas.config", jaasConfig != null ? jaasConfig : LOGIN_MODULES.get(mechanism)
                    + " required username=\"" + jaasEscape(username) + "\" password=\"" + jaasEscape(password) + "\";");
        }
        if (truststoreLocation != null) {
            p.put("ssl.truststore.location", truststoreLocation);
            if (truststorePassword != null) {
                p.put("ssl.truststore.password", truststorePassword);
            }
            if (truststoreType != null) {
                p.put("ssl.truststore.type", truststoreType);
            }
        } else if (truststoreCertificates != null) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.certificates", truststoreCertificates);
        }
        return p;
    }

    /**
     * {@link #clientProperties()} as MicroProfile Config properties: each under {@code kafka.} (Quarkus hands the
     * {@code kafka.} properties to every channel, its dead-letter producer and its health check as defaults), and
     * again under the environment variable's name from which Quarkus derives the same Kafka key
     * ({@code KAFKA_SASL_MECHANISM} → {@code sasl.mechanism}), so that a raw variable cannot stand in for the checked
     * value.
     */
    public Map<String, String> configProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        clientProperties().forEach((key, value) -> {
            p.put("kafka." + key, value);
            p.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value);
        });
        return p;
    }

    /**
     * A readiness message for a failure to reach the broker: which cause (credentials refused, TLS trust, broker
     * unreachable) and which variables to fix. Reads the cause chain by class name, so this plain-Java library needs
     * no Kafka client. Never includes the password.
     */
    public String explain(Throwable failure, String bootstrapServers) {
        String detail = rootMessage(failure);
        if (causedBy(failure, "SaslAuthenticationException") || causedBy(failure, "IllegalSaslStateException")) {
            String who = username != null ? "of user " + username + " (" + USERNAME + " / " + PASSWORD + ")"
                    : "(" + JAAS_CONFIG + ")";
            return "Kafka at " + bootstrapServers + " refused the SASL " + mechanism + " credentials " + who + ": "
                    + mask(detail);
        }
        if (causedBy(failure, "SslAuthenticationException") || causedBy(failure, "SSLHandshakeException")
                || causedBy(failure, "CertificateException") || causedBy(failure, "SSLException")) {
            return "the TLS handshake with Kafka at " + bootstrapServers + " failed (" + PROTOCOL + "=" + protocol
                    + "; trust: " + trustDescription() + "): " + mask(detail);
        }
        if (causedBy(failure, "TimeoutException")) {
            return "Kafka at " + bootstrapServers + " did not answer in time (KAFKA_BOOTSTRAP_SERVERS, " + PROTOCOL
                    + "=" + protocol + "): unreachable, or it speaks another protocol: " + mask(detail);
        }
        return "Kafka at " + bootstrapServers + " cannot be reached (KAFKA_BOOTSTRAP_SERVERS, " + PROTOCOL + "="
                + protocol + "): " + mask(detail);
    }

    private String trustDescription() {
        if (truststoreLocation != null) {
            return TRUSTSTORE_LOCATION + "=" + truststoreLocation;
        }
        return truststoreCertificates != null ? TRUSTSTORE_CERTIFICATES : "the JVM's default CAs";
    }

    /** Removes the password should a broker's or a library's message ever echo it. */
    private String mask(String text) {
        String masked = text;
        for (String secret : new String[] {password, truststorePassword}) {
            if (secret != null && !secret.isEmpty()) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    /** Secrets masked. */
    @Override
    public String toString() {
        return "KafkaSecurity[protocol=" + protocol + ", mechanism=" + mechanism + ", username=" + username
                + ", password=" + (password == null ? null : MASK) + ", jaasConfig=" + (jaasConfig == null ? null : MASK)
                + ", truststoreLocation=" + truststoreLocation + ", truststorePassword="
                + (truststorePassword == null ? null : MASK) + ", truststoreType=" + truststoreType
                + ", truststoreCertificates=" + (truststoreCertificates == null ? null : "(PEM)") + "]";
    }

    /**
     * Quotes a value for a JAAS option: Kafka's parser (a {@code StreamTokenizer}) reads backslash escapes inside
     * double quotes, and a raw line break would end the string.
     */
    static String jaasEscape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean causedBy(Throwable failure, String simpleName) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().equals(simpleName)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Secrets are taken as they are: a password may begin or end with a space. */
    private static String rawValue(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String upper(String v) {
        return v == null ? null : v.toUpperCase(Locale.ROOT);
    }
}
