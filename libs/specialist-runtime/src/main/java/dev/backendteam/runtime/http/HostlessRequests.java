package dev.backendteam.runtime.http;

import dev.backendteam.contract.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A specialist's HTTP port (health, metrics) answers a request that names no host — HTTP/1.1 without {@code Host},
 * HTTP/2 without {@code :authority}, a request line that is not HTTP — with a 400 problem (RFC 9457) and a DEBUG
 * line, as the gateway does. Vert.x Web fails such a request before any route runs, and Quarkus's error handler
 * logged each at ERROR with an error id: anything that reaches the port (on Railway, the private network) could
 * write the service's error log. HTTP/1.0 needs no host and is served.
 */
@ApplicationScoped
public class HostlessRequests {
    private static final Logger LOG = Logger.getLogger(HostlessRequests.class);
    private static final String PROBLEM_JSON = "application/problem+json";

    private final Buffer problem;

    public HostlessRequests() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:backend-team:problem:no-host"); // as the gateway names its problems
        body.put("title", "No host");
        body.put("status", 400);
        body.put("detail", "the request names no host: HTTP/1.1 needs a Host header (RFC 9112 section 3.2), "
                + "HTTP/2 an :authority");
        problem = Buffer.buffer(Json.write(body));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    void answer(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        boolean hostless = routing.statusCode() == 400 && request.version() != HttpVersion.HTTP_1_0
                && request.authority() == null && !routing.response().headWritten();
        if (!hostless) {
            routing.next();
            return;
        }
        LOG.debugf("refused a request without a host: %s %s (%s)", request.method(), request.path(), request.version());
        routing.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close").end(problem);
    }
}
