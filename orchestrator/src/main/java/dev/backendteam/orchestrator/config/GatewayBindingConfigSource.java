package dev.backendteam.orchestrator.config;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Chooses the gateway's default bind address: without API keys the gateway is reachable from this machine only
 * (127.0.0.1); with keys it listens on 0.0.0.0 (containers, Railway). Its ordinal sits above
 * application.properties and below environment variables, so QUARKUS_HTTP_HOST still wins — and
 * {@code GatewaySecurity} refuses to start an open gateway on a public address.
 */
public class GatewayBindingConfigSource implements ConfigSource {
    static final String HOST = "quarkus.http.host";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(HOST);
    }

    @Override
    public String getValue(String propertyName) {
        if (!HOST.equals(propertyName)) {
            return null;
        }
        return keysConfigured() ? "0.0.0.0" : "127.0.0.1";
    }

    static boolean keysConfigured() {
        String keys = System.getProperty("backend-team.api-keys", System.getenv("BACKEND_TEAM_API_KEYS"));
        return keys != null && !keys.isBlank();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(HOST, getValue(HOST));
    }

    @Override
    public int getOrdinal() {
        return 260;
    }

    @Override
    public String getName() {
        return "backend-team gateway binding";
    }
}
