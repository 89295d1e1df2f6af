package dev.backendteam.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The REST gateway as the launcher uses it: submit, follow the Server-Sent Events, answer, fetch the report and the
 * bundle. Every call has a timeout except reading the event stream, which lasts as long as the job. A refusal
 * (problem+json) becomes a {@link GatewayException} that reads well.
 */
public final class GatewayClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    /** @param apiKey sent as {@code Authorization: Bearer}; null when the gateway has no keys (loopback only) */
    public GatewayClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** POST /jobs; the job as the gateway shows it (id, status, createdAt, …). */
    public JsonNode submit(String jobJson) throws IOException {
        return json(send(request("/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jobJson, StandardCharsets.UTF_8)), "submit the job"));
    }

    /** GET /jobs/{id}. */
    public JsonNode job(String id) throws IOException {
        return json(send(request("/jobs/" + id).GET(), "read job " + id));
    }

    /** POST /jobs/{id}/answers with {@code {"answer": …}}. */
    public JsonNode answer(String id, String answer) throws IOException {
        return answerWith(id, Json.write(Map.of("answer", answer)));
    }

    /** POST /jobs/{id}/answers with a whole body: the answer plus input fields (logs, spec, …). */
    public JsonNode answerWith(String id, String bodyJson) throws IOException {
        return json(send(request("/jobs/" + id + "/answers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(bodyJson, StandardCharsets.UTF_8)), "answer job " + id));
    }

    /** POST /jobs/{id}/cancel. */
    public void cancel(String id, Duration timeout) throws IOException {
        send(request("/jobs/" + id + "/cancel").timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()),
                "cancel job " + id);
    }

    /** GET /jobs/{id}/report as Markdown. */
    public String reportMarkdown(String id) throws IOException {
        return new String(send(request("/jobs/" + id + "/report").header("Accept", "text/markdown").GET(),
                "fetch the report of job " + id).body(), StandardCharsets.UTF_8);
    }

    /** GET /jobs/{id}/bundle: the zip. */
    public byte[] bundle(String id) throws IOException {
        return send(request("/jobs/" + id + "/bundle").header("Accept", "application/zip").GET(),
                "fetch the bundle of job " + id).body();
    }

    /**
     * GET /jobs/{id}/events from after {@code lastEventId}, handing each event to {@code onEvent} until it returns
     * false or the stream ends (the gateway ends it after the terminal event). Returns the last event id seen.
     */
    public String events(String id, String lastEventId, Predicate<ServerSentEvents.Event> onEvent) throws IOException {
        HttpRequest.Builder builder = request("/jobs/" + id + "/events").header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while following job " + id, e);
        }
        ServerSentEvents parser = new ServerSentEvents();
        try (InputStream body = response.body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw GatewayException.of("follow job " + id, response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(""), body.readAllBytes());
            }
            String line;
            while ((line = lines.readLine()) != null) {
                var event = parser.accept(line);
                if (event.isPresent() && !onEvent.test(event.get())) {
                    break;
                }
            }
        }
        return parser.lastEventId() != null ? parser.lastEventId() : lastEventId;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String what) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trying to " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw GatewayException.of(what, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        }
        return response;
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return Json.events().readTree(response.body());
    }
}
