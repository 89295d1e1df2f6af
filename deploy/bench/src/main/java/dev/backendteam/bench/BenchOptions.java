package dev.backendteam.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@link Bench}. Every option has a default and a bound, so a mistyped number can neither run
 * forever nor flood the machine other people build on.
 *
 * @param root         the repository folder (service jars, {@code .backend-team/})
 * @param start        start a private stack in {@code .backend-team/bench} instead of attaching to a running one
 * @param gateway      gateway URL to attach to; null = from {@code .backend-team/stack.properties}
 * @param bootstrap    Kafka bootstrap servers to attach to; null = from {@code .backend-team/stack.properties}
 * @param apiKey       bearer key for a gateway that has API keys; null = none (a keyless gateway)
 * @param jobs         measured jobs
 * @param concurrency  jobs in flight at once (closed loop: a worker submits its next job when the last one ended)
 * @param warmup       jobs run first and not counted
 * @param flow         which built-in job body to submit ({@code jobs/<flow>.json})
 * @param body         a JSON job body file to submit instead of a built-in one; null = {@code --flow}'s
 * @param follow       how a job's end is learnt: {@code sse} (GET /jobs/{id}/events) or {@code kafka} (jobs.updates)
 * @param roundTrips   raw Kafka produce→consume round trips (after 50 uncounted ones)
 * @param payloadBytes size of the raw round trip's record value
 * @param jobTimeout   a job not terminal after this counts as failed
 * @param timeout      the whole run (stack start included); jobs not submitted by then are not run
 */
public record BenchOptions(Path root, boolean start, String gateway, String bootstrap, String apiKey, int jobs,
        int concurrency, int warmup, String flow, Path body, String follow, int roundTrips, int payloadBytes, Duration jobTimeout,
        Duration timeout, boolean help) {

    public static final Set<String> FLOWS = Set.of("bug", "new-feature");
    public static final Set<String> FOLLOW = Set.of("sse", "kafka");

    public static final String USAGE = """
            usage: deploy/bench/run.sh [options]

            Runs N jobs at concurrency C through the REST gateway, then prints jobs/s, job latency percentiles,
            per-step latency, the raw Kafka round trip on the same broker, and the per-hop overhead ratio.

            Where to run:
              --start                 start a private stack (state in .backend-team/bench, free ports) and stop it
                                      at the end
              --gateway URL           attach to a running gateway (default: .backend-team/stack.properties,
                                      written by ./backend-team up)
              --bootstrap HOST:PORT   its Kafka broker (default: .backend-team/stack.properties)
              --api-key KEY           bearer key, if the gateway has API keys (or env BENCH_API_KEY)
              --root DIR              repository folder (default: the current directory, which run.sh sets
                                      to the repository root; relative paths are resolved against it)

            What to run:
              --jobs N                measured jobs (default 200, 1..100000)
              --concurrency C         jobs in flight (default 16, 1..256)
              --warmup N              uncounted jobs first (default 20, 0..10000)
              --flow bug|new-feature  job body (default bug: 4 steps; new-feature: 6 steps + 2 skipped)
              --body FILE             submit this JSON job body instead (e.g. deploy/examples/bug.json)
              --follow sse|kafka      how the end of a job is learnt (default sse: GET /jobs/{id}/events, as
                                      a REST caller would; kafka: one consumer on backend-team.jobs.updates,
                                      which adds no load on the gateway). The latency is the same event's
                                      `at` either way.
              --round-trips N         raw Kafka round trips (default 500, 10..100000)
              --payload-bytes N       value size of a raw round-trip record (default 2048, 1..1048576)
              --job-timeout DURATION  a job not finished by then counts as failed (default 120s)
              --timeout DURATION      bound for the whole run (default 15m); e.g. 90s, 10m, PT5M
              --help
            Only loopback addresses are accepted.
            """;

    private static final Map<String, Boolean> KNOWN = knownOptions();

    private static Map<String, Boolean> knownOptions() {
        Map<String, Boolean> takesValue = new LinkedHashMap<>();
        for (String flag : List.of("--start", "--help")) {
            takesValue.put(flag, false);
        }
        for (String option : List.of("--gateway", "--bootstrap", "--api-key", "--root", "--jobs", "--concurrency",
                "--warmup", "--flow", "--body", "--follow", "--round-trips", "--payload-bytes", "--job-timeout", "--timeout")) {
            takesValue.put(option, true);
        }
        return Map.copyOf(takesValue);
    }

    public BenchOptions {
        root = root.toAbsolutePath().normalize();
    }

    /** Parses {@code --name value} and {@code --name=value}; throws {@link IllegalArgumentException} with the cause. */
    public static BenchOptions parse(List<String> args, Path workingDirectory, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Boolean takesValue = KNOWN.get(name);
            if (takesValue == null) {
                throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
            if (takesValue && value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args.get(++i);
            }
            if (!takesValue && value != null) {
                throw new IllegalArgumentException(name + " takes no value");
            }
            if (values.put(name, takesValue ? value : "true") != null) {
                throw new IllegalArgumentException(name + " given twice");
            }
        }
        boolean start = values.containsKey("--start");
        if (start && (values.containsKey("--gateway") || values.containsKey("--bootstrap"))) {
            throw new IllegalArgumentException("--start runs a private stack; --gateway and --bootstrap attach to a "
                    + "running one: give one or the other");
        }
        String flow = values.getOrDefault("--flow", "bug");
        if (!FLOWS.contains(flow)) {
            throw new IllegalArgumentException("--flow must be one of " + FLOWS.stream().sorted().toList()
                    + ", not " + flow);
        }
        if (values.containsKey("--flow") && values.containsKey("--body")) {
            throw new IllegalArgumentException("--flow picks a built-in job body, --body gives one: not both");
        }
        Path body = values.containsKey("--body") ? workingDirectory.resolve(values.get("--body")) : null;
        String follow = values.getOrDefault("--follow", "sse");
        if (!FOLLOW.contains(follow)) {
            throw new IllegalArgumentException("--follow must be sse or kafka, not " + follow);
        }
        String gateway = values.get("--gateway");
        if (gateway != null) {
            gateway = stripTrailingSlash(gateway);
            Loopback.requireUrl(gateway, "--gateway");
        }
        String bootstrap = values.get("--bootstrap");
        if (bootstrap != null) {
            Loopback.requireBootstrap(bootstrap, "--bootstrap");
        }
        String apiKey = values.getOrDefault("--api-key", env.get("BENCH_API_KEY"));
        Path root = values.containsKey("--root") ? workingDirectory.resolve(values.get("--root")) : workingDirectory;
        return new BenchOptions(root, start, gateway, bootstrap, apiKey,
                integer(values, "--jobs", 200, 1, 100_000),
                integer(values, "--concurrency", 16, 1, 256),
                integer(values, "--warmup", 20, 0, 10_000),
                flow,
                body,
                follow,
                integer(values, "--round-trips", 500, 10, 100_000),
                integer(values, "--payload-bytes", 2048, 1, 1_048_576),
                duration(values, "--job-timeout", Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofHours(1)),
                duration(values, "--timeout", Duration.ofMinutes(15), Duration.ofSeconds(10), Duration.ofHours(6)),
                values.containsKey("--help"));
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static int integer(Map<String, String> values, String name, int dflt, int min, int max) {
        String raw = values.get(name);
        if (raw == null) {
            return dflt;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + raw);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    private static Duration duration(Map<String, String> values, String name, Duration dflt, Duration min,
            Duration max) {
        String raw = values.get(name);
        if (raw == null) {
            return dflt;
        }
        Duration value = parseDuration(raw, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be " + min.toSeconds() + " s to " + max.toSeconds()
                    + " s, not " + raw);
        }
        return value;
    }

    /** {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT5M}). */
    static Duration parseDuration(String raw, String name) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(s));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 90s, 10m or PT5M, not " + raw);
        }
    }
}
