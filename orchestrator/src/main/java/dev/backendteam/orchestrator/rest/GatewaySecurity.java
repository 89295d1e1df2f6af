package dev.backendteam.orchestrator.rest;

import dev.backendteam.orchestrator.config.ApiKeys;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Set;

/** Says at start how the gateway is protected, and refuses to run an open gateway on a non-loopback address. */
@ApplicationScoped
public class GatewaySecurity {
    private static final Logger LOG = Logger.getLogger(GatewaySecurity.class);
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    void check(@Observes StartupEvent event, ApiKeys keys, @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        if (keys.enabled()) {
            LOG.infof("gateway on %s:%d; %d API key(s) configured; each key sees only its own jobs", host, port,
                    keys.count());
            return;
        }
        if (!LOOPBACK.contains(host)) {
            throw new IllegalStateException("no API keys are configured (BACKEND_TEAM_API_KEYS) but the gateway "
                    + "would listen on " + host + "; set keys, or bind to 127.0.0.1");
        }
        LOG.warnf("no API keys configured (BACKEND_TEAM_API_KEYS): the gateway listens on %s:%d only, and every "
                + "caller is the '%s' owner", host, port, ApiKeys.LOCAL_OWNER);
    }
}
