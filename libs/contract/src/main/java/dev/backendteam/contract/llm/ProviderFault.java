package dev.backendteam.contract.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * What went wrong in a call to a model provider, and whether another try may help: rate limits (with the provider's
 * Retry-After when known), server errors, timeouts, unreachable servers and malformed answers are retried a bounded
 * number of times; a refused key, an unknown model or a request the provider rejects are not.
 */
public record ProviderFault(Kind kind, Integer status, Duration retryAfter, String detail) {

    public enum Kind {
        RATE_LIMITED(true), SERVER_ERROR(true), TIMEOUT(true), UNREACHABLE(true), MALFORMED(true), REFUSED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    /** Reads a fault from an exception; a provider-specific reader (headers of an HTTP client) may come first. */
    public interface Reader {
        /** Null when this reader does not know the exception. */
        ProviderFault read(Throwable error);
    }

    public String describe() {
        String what = switch (kind) {
            case RATE_LIMITED -> "rate limited";
            case SERVER_ERROR -> "server error";
            case TIMEOUT -> "timed out";
            case UNREACHABLE -> "unreachable";
            case MALFORMED -> "malformed answer";
            case REFUSED -> "refused";
        };
        return what + (status == null ? "" : " (HTTP " + status + ")") + (detail == null ? "" : ": " + detail);
    }

    /**
     * A provider's "not now" (429 or 503) with the Retry-After it sent, raised by a service's HTTP response filter:
     * langchain4j's exceptions keep the status and the body of an error but not its headers.
     */
    public static final class Busy extends RuntimeException {
        private final int status;
        private final String retryAfter;

        public Busy(int status, String retryAfter) {
            super("HTTP " + status + ", Retry-After: " + retryAfter);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        /** Raises a 429 or 503 that says how long to wait; anything else passes. */
        public static void raiseIfAsked(int status, String retryAfter) {
            if ((status == 429 || status == 503) && retryAfter != null && !retryAfter.isBlank()) {
                throw new Busy(status, retryAfter);
            }
        }

        public int status() {
            return status;
        }

        public String retryAfter() {
            return retryAfter;
        }
    }

    /** The classification of langchain4j's exceptions and the JDK's, walking the cause chain. */
    public static ProviderFault standard(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            ProviderFault fault = known(t);
            if (fault != null) {
                return fault;
            }
        }
        return new ProviderFault(Kind.REFUSED, null, null, brief(error));
    }

    private static ProviderFault known(Throwable t) {
        String detail = brief(t);
        if (t instanceof Busy busy) {
            return ofStatus(busy.status(), retryAfter(busy.retryAfter()), detail);
        }
        if (t instanceof RateLimitException) {
            return new ProviderFault(Kind.RATE_LIMITED, 429, null, detail);
        }
        if (t instanceof InternalServerException) {
            return new ProviderFault(Kind.SERVER_ERROR, status(t), null, detail);
        }
        if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
                || t instanceof TimeoutException || t instanceof InterruptedIOException) {
            return new ProviderFault(Kind.TIMEOUT, null, null, detail);
        }
        if (t instanceof AuthenticationException || t instanceof ModelNotFoundException
                || t instanceof InvalidRequestException) {
            return new ProviderFault(Kind.REFUSED, null, null, detail);
        }
        if (t instanceof HttpException http) {
            return ofStatus(http.statusCode(), null, detail);
        }
        if (t instanceof ConnectException) {
            return new ProviderFault(Kind.UNREACHABLE, null, null, detail);
        }
        if (t instanceof JsonProcessingException) {
            return new ProviderFault(Kind.MALFORMED, null, null, detail);
        }
        return null;
    }

    /** The HTTP status of the exception langchain4j mapped, when its cause carries one. */
    private static Integer status(Throwable mapped) {
        for (Throwable t = mapped; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) {
                return http.statusCode();
            }
        }
        return null;
    }

    /** The fault an HTTP status means. */
    public static ProviderFault ofStatus(int status, Duration retryAfter, String detail) {
        Kind kind = status == 429 ? Kind.RATE_LIMITED
                : status == 408 || status == 504 ? Kind.TIMEOUT
                : status >= 500 ? Kind.SERVER_ERROR : Kind.REFUSED;
        return new ProviderFault(kind, status, retryAfter, detail);
    }

    /** Retry-After in seconds (the form providers send); null when absent or not a number of seconds. */
    public static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String brief(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
