package dev.backendteam.orchestrator.config;

import dev.backendteam.sandbox.PostgresConnection;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The job store's server as managed PostgreSQL hands it over: Railway's {@code DATABASE_URL}
 * ({@code postgresql://user:password@host:port/db?sslmode=require}), else libpq's {@code PG*} variables, read by the
 * sandbox library's {@link PostgresConnection}. Nothing when {@code QUARKUS_DATASOURCE_JDBC_URL} is set. Its ordinal
 * sits above application.properties (whose default URL it replaces) and below the environment variables, so
 * {@code QUARKUS_DATASOURCE_USERNAME} / {@code _PASSWORD} still win one by one. A value that does not parse stops the
 * start, naming the variable and never the password.
 */
public class JobStoreConfigSource implements ConfigSource {
    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    private final Map<String, String> properties = new LinkedHashMap<>();

    public JobStoreConfigSource() {
        this(System.getenv(), System.getProperty(URL));
    }

    JobStoreConfigSource(Map<String, String> env, String urlProperty) {
        String explicit = env.get("QUARKUS_DATASOURCE_JDBC_URL");
        if ((explicit != null && !explicit.isBlank()) || urlProperty != null) {
            return;
        }
        PostgresConnection.fromEnvironment(env).ifPresent(c -> {
            properties.put(URL, c.jdbcUrl());
            if (c.user() != null) {
                properties.put(USERNAME, c.user());
            }
            if (c.password() != null) {
                properties.put(PASSWORD, c.password());
            }
        });
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
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
        return 260;
    }

    @Override
    public String getName() {
        return "backend-team job store (DATABASE_URL, PG*)";
    }
}
