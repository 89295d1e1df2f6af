package dev.backendteam.orchestrator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Answers a request that names no host — HTTP/1.1 without {@code Host} (RFC 9112 §3.2 asks for a 400), HTTP/2
 * without {@code :authority}, a request line whose version is not HTTP — with a 400 problem and a DEBUG line.
 * Vert.x Web fails such a request (400) before any route runs, and Quarkus's error handler logged each failure at
 * ERROR, with an error id and a JSON body of its own: anyone could write the gateway's error log. This failure
 * handler runs before Quarkus's. HTTP/1.0 needs no host and is served.
 */
@ApplicationScoped
public class HostlessRequests {
    private static final Logger LOG = Logger.getLogger(HostlessRequests.class);

    private final byte[] problem;

    public HostlessRequests(ObjectMapper json) throws JsonProcessingException {
        problem = json.writeValueAsBytes(Problem.of(Response.Status.BAD_REQUEST, "no-host", "No host",
                "the request names no host: HTTP/1.1 needs a Host header (RFC 9112 section 3.2), HTTP/2 an :authority",
                null));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::check);
    }

    void check(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (routing.statusCode() != 400 || request.version() == HttpVersion.HTTP_1_0 || request.authority() != null
                || routing.response().headWritten()) {
            routing.next();
            return;
        }
        LOG.debugf("refused a request without a host: %s %s (%s)", request.method(), request.path(), request.version());
        routing.response().setStatusCode(400)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(problem));
    }
}
