package dev.backendteam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The REST gateway as the bench uses it: submit, follow the event stream to the end, read the steps. */
final class GatewayClient implements JobFollower {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.events();

    /** What {@code POST /jobs} answered. {@code createdAt} is the server's clock. */
    record Submitted(String id, Instant createdAt) {
    }

    static final class GatewayException extends RuntimeException {
        GatewayException(String message) {
            super(message);
        }

        GatewayException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;

    GatewayClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        // HTTP/1.1: the gateway serves cleartext HTTP/1.1, and the JDK client would otherwise try an h2c upgrade.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    boolean ready() {
        try {
            HttpResponse<Void> r = http.send(request("/q/health/ready").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * POST /jobs; on a 429 (the gateway's budget per API key, when the bench is attached to a stack that has one) it
     * waits as Retry-After says, up to ten times, as a client should.
     */
    Submitted submit(String body) {
        HttpResponse<String> r = send(request("/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        for (int retry = 0; r.statusCode() == 429 && retry < 10; retry++) {
            long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
            try {
                Thread.sleep(Math.max(1, seconds) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException("interrupted while waiting to submit again", e);
            }
            r = send(request("/jobs").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }
        if (r.statusCode() != 202) {
            throw new GatewayException("POST /jobs answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
        JsonNode job = parse(r.body());
        return new Submitted(job.path("id").asText(), Instant.parse(job.path("createdAt").asText()));
    }

    JsonNode job(String id) {
        HttpResponse<String> r = send(request("/jobs/" + id).header("Accept", "application/json").GET().build());
        if (r.statusCode() != 200) {
            throw new GatewayException("GET /jobs/" + id + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
        return parse(r.body());
    }

    /** Best effort: a job the bench gave up on should not keep the stack busy. */
    void cancel(String id) {
        try {
            send(request("/jobs/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
        } catch (GatewayException e) {
            System.err.println("bench: could not cancel job " + id + ": " + e.getMessage());
        }
    }

    /** The steps of a finished job, from {@code GET /jobs/{id}}. */
    List<StepSample> steps(String id) {
        List<StepSample> steps = new ArrayList<>();
        for (JsonNode s : job(id).path("steps")) {
            steps.add(new StepSample(s.path("seq").asInt(), s.path("kind").asText(), s.path("service").asText(),
                    s.hasNonNull("role") ? s.get("role").asText() : null,
                    s.hasNonNull("origin") ? s.get("origin").asText() : null, s.path("status").asText(),
                    s.path("attempt").asInt(1),
                    s.hasNonNull("startedAt") ? Instant.parse(s.get("startedAt").asText()) : null,
                    s.hasNonNull("durationMs") ? s.get("durationMs").asLong() : null));
        }
        return steps;
    }

    /**
     * Reads {@code GET /jobs/{id}/events} until the job ends or asks a question. The stream replays the timeline
     * from its start, so a job that finished before the stream opened is still seen. Throws
     * {@link TimeoutException} after {@code max}, having closed the stream.
     */
    @Override
    public JobOutcome await(String id, Duration max) throws TimeoutException {
        CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
        TimelineSubscriber subscriber = new TimelineSubscriber(outcome);
        HttpRequest request = request("/jobs/" + id + "/events").header("Accept", "text/event-stream")
                .timeout(REQUEST_TIMEOUT).GET().build();
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.fromLineSubscriber(subscriber)
                : HttpResponse.BodySubscribers.replacing(null));
        response.whenComplete((r, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
            } else if (r.statusCode() != 200) {
                outcome.completeExceptionally(new GatewayException("GET /jobs/" + id + "/events answered "
                        + r.statusCode()));
            } else {
                outcome.completeExceptionally(new GatewayException("the event stream of job " + id
                        + " ended without a terminal event"));
            }
        });
        try {
            return outcome.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            subscriber.cancel();
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new GatewayException("following job " + id + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscriber.cancel();
            throw new GatewayException("interrupted while following job " + id, e);
        }
    }

    /** Completes the outcome on the first terminal or question event, then closes the stream. */
    private static final class TimelineSubscriber implements Flow.Subscriber<String> {
        private final CompletableFuture<JobOutcome> outcome;
        private final SseParser parser = new SseParser();
        private volatile Flow.Subscription subscription;

        TimelineSubscriber(CompletableFuture<JobOutcome> outcome) {
            this.outcome = outcome;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            Instant received = Instant.now();
            parser.line(line).ifPresent(event -> {
                JobUpdate update;
                try {
                    update = JSON.readValue(event.data(), JobUpdate.class);
                } catch (IOException | RuntimeException e) {
                    outcome.completeExceptionally(new GatewayException("unreadable event " + event.name() + ": "
                            + abbreviate(event.data()), e));
                    cancel();
                    return;
                }
                JobOutcome ended = JobOutcome.of(update, received);
                if (ended != null) {
                    outcome.complete(ended);
                    cancel();
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            outcome.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            // The response future reports a stream that ended without a terminal event.
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GatewayException(request.method() + " " + request.uri().getPath() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted: " + request.method() + " " + request.uri().getPath(), e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new GatewayException("the gateway answered something that is not JSON: " + abbreviate(body), e);
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
