package dev.backendteam.ops.functions;

import java.util.List;

/**
 * One function to deliver, as the domain spec's {@code functions} section says it (or as the task's words said it
 * unambiguously). {@code provider} is set for webhooks, {@code schedule} (cron, UTC) for scheduled jobs, {@code email}
 * names the email API a function calls; {@code secrets} are the environment names it reads besides those.
 */
public record EdgeFunction(String name, Kind kind, String provider, String schedule, String email,
        List<String> secrets, List<String> writes, List<String> reads, String purpose) {

    public enum Kind {
        WEBHOOK, SCHEDULED, HTTP;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public EdgeFunction {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        writes = writes == null ? List.of() : List.copyOf(writes);
        reads = reads == null ? List.of() : List.copyOf(reads);
    }

    public String entrypoint() {
        return "supabase/functions/" + name + "/index.ts";
    }
}
