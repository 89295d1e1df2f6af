package dev.backendteam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;
import dev.backendteam.sandbox.SweepReport;
import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.PostgresServer;
import dev.backendteam.stack.ServiceProcess;
import dev.backendteam.stack.StackConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The chaos program (issue 14; a program, not a test): jobs of mixed flows through a private local stack while it
 * kills -9 a random service instance every few seconds (the five services and a second replica of one specialist)
 * and starts it again, restarts the Kafka broker once and the job-store PostgreSQL once. Then it checks what the
 * brief promises and prints it: every job terminal, none lost, no step's result applied more often than it was
 * attempted, no artifact twice, no sandbox database or role left after one janitor sweep, a validation round in
 * every completed job, both replicas given partitions — and, with canary values planted in every secret setting
 * and in a submitted {@code .env} file, none of them in the logs, job records, events, reports or bundles (raw,
 * base64 and URL-encoded). Exit code 0 when every check holds, 1 when one does not, 2 on a usage error.
 *
 * <p>Run it with {@code deploy/bench/chaos.sh} ({@code --help} lists the options).
 */
public final class Chaos {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");
    private static final String STATE_SUBFOLDER = "chaos";
    private static final String CHAOS_KEY_NAME = "chaos";

    public record Options(Path root, int jobs, int concurrency, Duration killEvery, int kills, String replicated,
                   boolean brokerRestart, boolean storeRestart, long seed, Duration jobTimeout, Duration timeout,
                   int rowBudget, List<String> flows) {
        static final List<String> FLOWS = List.of("new-feature", "bug", "security-review", "performance", "deployment",
                "monitor");
        static final String USAGE = """
                deploy/bench/chaos.sh [options]
                  --jobs N              jobs to run (200)
                  --concurrency C       jobs in flight at once (4)
                  --kill-every D        mean time between two kills (8s; each kill -9 is followed by a start)
                  --kills N             stop killing after N kills (0 = until the jobs are done)
                  --replicated S        the specialist run as two replicas, one of which may be killed
                                        (db-architect; none = no replicas)
                  --no-broker-restart   skip the broker restart (done once a third of the jobs is done)
                  --no-store-restart    skip the job-store restart (done at two thirds)
                  --seed N              victims and flows mix (random)
                  --job-timeout D       a job not terminal by then counts as not terminal (300s)
                  --timeout D           the whole run (60m)
                  --row-budget N        query-optimizer's generated rows per step (5000)
                  --flows A,B,…         the mix, in turn (new-feature,bug,security-review,performance,deployment,
                                        monitor; deployment carries the .env canaries)""";

        public static Options parse(Path root, String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            Set<String> flags = Set.of("--no-broker-restart", "--no-store-restart");
            Set<String> valued = Set.of("--jobs", "--concurrency", "--kill-every", "--kills", "--replicated", "--seed",
                    "--job-timeout", "--timeout", "--row-budget", "--flows");
            for (int i = 0; i < args.length; i++) {
                if (flags.contains(args[i])) {
                    v.put(args[i], "true");
                } else if (valued.contains(args[i]) && i + 1 < args.length) {
                    v.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
                }
            }
            String replicated = v.getOrDefault("--replicated", "db-architect");
            if (!replicated.equals("none") && !replicated.startsWith("specialist-")) {
                replicated = "specialist-" + replicated;
            }
            return new Options(root, positive(v.getOrDefault("--jobs", "200"), "--jobs"),
                    positive(v.getOrDefault("--concurrency", "4"), "--concurrency"),
                    BenchOptions.parseDuration(v.getOrDefault("--kill-every", "8s"), "--kill-every"),
                    Integer.parseInt(v.getOrDefault("--kills", "0")), replicated.equals("specialist-none") ? null : replicated,
                    !v.containsKey("--no-broker-restart"), !v.containsKey("--no-store-restart"),
                    Long.parseLong(v.getOrDefault("--seed", Long.toString(new SecureRandom().nextLong()))),
                    BenchOptions.parseDuration(v.getOrDefault("--job-timeout", "300s"), "--job-timeout"),
                    BenchOptions.parseDuration(v.getOrDefault("--timeout", "60m"), "--timeout"),
                    positive(v.getOrDefault("--row-budget", "5000"), "--row-budget"), flows(v.get("--flows")));
        }

        private static List<String> flows(String value) {
            if (value == null) {
                return FLOWS;
            }
            List<String> flows = List.of(value.split(",")).stream().map(String::trim).filter(f -> !f.isEmpty()).toList();
            for (String f : flows) {
                if (!FLOWS.contains(f)) {
                    throw new IllegalArgumentException("--flows: unknown flow " + f + "; known: " + FLOWS);
                }
            }
            if (flows.isEmpty()) {
                throw new IllegalArgumentException("--flows names no flow");
            }
            return flows;
        }

        private static int positive(String value, String option) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, got " + n);
            }
            return n;
        }
    }

    /** One planted secret: where it was put, and the forms a leak could take. */
    record Canary(String where, String value) {
        List<String> forms() {
            List<String> forms = new ArrayList<>(List.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8)));
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            for (int offset = 0; offset < 3; offset++) {
                // the characters of a base64 text that only this value's bits decide, whatever precedes it
                byte[] shifted = new byte[offset + bytes.length];
                System.arraycopy(bytes, 0, shifted, offset, bytes.length);
                String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
                String core = encoded.substring((offset * 8 + 5) / 6, (offset + bytes.length) * 8 / 6);
                forms.add(core);
                forms.add(core.replace('+', '-').replace('/', '_'));
            }
            return forms.stream().distinct().toList();
        }
    }

    private record JobRun(int n, String flow, String id, String status, String note) {
    }

    private final Options options;
    private final PrintStream out;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final List<Canary> canaries = new ArrayList<>();
    private final Map<String, Integer> kills = new ConcurrentHashMap<>();
    private final List<String> chaosLog = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger finished = new AtomicInteger();
    private String gateway;
    private String apiKey;

    public Chaos(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
    }

    public static void main(String[] args) throws Exception {
        ProgramMain.run("chaos", Options.USAGE, args, Options::parse, o -> new Chaos(o, System.out).run());
    }

    /** Runs it all and prints the figures; 0 when every check held, else 1. */
    public int run() {
        Instant began = Instant.now();
        plantCanaries();
        out.printf("chaos: %d jobs at concurrency %d, a kill every ~%s%s, replicas: %s, broker restart %s, job-store"
                        + " restart %s, seed %d%n", options.jobs(), options.concurrency(), options.killEvery().toSeconds()
                        + " s", options.kills() > 0 ? " (at most " + options.kills() + ")" : "",
                options.replicated() == null ? "none" : options.replicated() + " ×2",
                options.brokerRestart() ? "once" : "no", options.storeRestart() ? "once" : "no", options.seed());
        LocalStack stack = startStack();
        try {
            gateway = stack.gatewayUrl();
            out.printf("chaos: stack up in %d s%n", Duration.between(began, Instant.now()).toSeconds());
            List<JobRun> runs = runJobs(stack, began.plus(options.timeout()));
            return report(stack, runs, Duration.between(began, Instant.now()));
        } finally {
            out.println("chaos: stopping the private stack …");
            stack.close();
        }
    }

    // --- canaries -------------------------------------------------------------------------------------------------

    private void plantCanaries() {
        SecureRandom r = new SecureRandom();
        apiKey = "ck-" + HexFormat.of().formatHex(r.generateSeed(12));
        canaries.add(new Canary("BACKEND_TEAM_API_KEYS (the chaos key)", apiKey));
        canaries.add(new Canary("BACKEND_TEAM_API_KEYS (another key)", "ck-" + HexFormat.of().formatHex(r.generateSeed(12))));
        for (String where : List.of("BACKEND_TEAM_LLM_OPENAI_API_KEY", "BACKEND_TEAM_LLM_ANTHROPIC_API_KEY",
                "BACKEND_TEAM_TARGET_VAULT_URL (password)", ".env DATABASE_PASSWORD", ".env STRIPE_SECRET_KEY")) {
            // '/', '+', '@' and '=' make the URL-encoded form differ from the raw one
            canaries.add(new Canary(where, "cn/" + HexFormat.of().formatHex(r.generateSeed(9)) + "+@="));
        }
    }

    private String canary(String where) {
        return canaries.stream().filter(c -> c.where().equals(where)).findFirst().orElseThrow().value();
    }

    // --- the stack ------------------------------------------------------------------------------------------------

    private LocalStack startStack() {
        Path state = options.root().resolve(StackConfig.STATE_FOLDER).resolve(STATE_SUBFOLDER);
        StackConfig.Builder b = StackConfig.builder(options.root()).stateDirectory(state).freePorts().stopLeftovers(true)
                .startupTimeout(Duration.ofSeconds(180))
                .environment("orchestrator", "BACKEND_TEAM_SUBMISSIONS_PER_MINUTE", "0")
                .environment("orchestrator", "BACKEND_TEAM_API_KEYS", CHAOS_KEY_NAME + ":" + apiKey + ",other:"
                        + canary("BACKEND_TEAM_API_KEYS (another key)"))
                .environment("BACKEND_TEAM_LLM_OPENAI_API_KEY", canary("BACKEND_TEAM_LLM_OPENAI_API_KEY"))
                .environment("BACKEND_TEAM_LLM_ANTHROPIC_API_KEY", canary("BACKEND_TEAM_LLM_ANTHROPIC_API_KEY"))
                .environment("BACKEND_TEAM_TARGET_VAULT_URL", "postgresql://reader:"
                        + URLEncoder.encode(canary("BACKEND_TEAM_TARGET_VAULT_URL (password)"), StandardCharsets.UTF_8)
                        + "@127.0.0.1:9/vault")
                .environment("BACKEND_TEAM_OPTIMIZER_ROW_BUDGET", Integer.toString(options.rowBudget()));
        if (options.replicated() != null) {
            b.replicas(options.replicated(), 2);
        }
        out.println("chaos: starting a private stack in " + options.root().relativize(state) + " …");
        return LocalStack.start(b.build());
    }

    // --- jobs -----------------------------------------------------------------------------------------------------

    /** One body per flow of {@link Options#FLOWS}, in that order. */
    private List<ObjectNode> bodies() {
        List<ObjectNode> bodies = new ArrayList<>();
        try {
            for (String name : List.of("new-feature.json")) {
                try (var in = Chaos.class.getResourceAsStream("jobs/" + name)) {
                    bodies.add((ObjectNode) JSON.readTree(in));
                }
            }
            for (String name : List.of("bug.json", "security-review.json", "performance.json", "deployment.json",
                    "monitor.json")) {
                bodies.add((ObjectNode) JSON.readTree(options.root().resolve("deploy/examples").resolve(name).toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job bodies", e);
        }
        ObjectNode deployment = bodies.get(4);
        ArrayNode files = deployment.has("files") ? (ArrayNode) deployment.get("files") : deployment.putArray("files");
        files.addObject().put("path", ".env").put("content", "# local secrets, never commit\nDATABASE_PASSWORD="
                + canary(".env DATABASE_PASSWORD") + "\nSTRIPE_SECRET_KEY=\"" + canary(".env STRIPE_SECRET_KEY") + "\"\n");
        return bodies;
    }


    private List<JobRun> runJobs(LocalStack stack, Instant deadline) {
        List<ObjectNode> all = bodies();
        List<String> mix = options.flows();
        AtomicBoolean working = new AtomicBoolean(true);
        Thread chaos = new Thread(() -> chaos(stack, working), "chaos");
        chaos.start();
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        List<Future<JobRun>> futures = new ArrayList<>();
        String run = Long.toHexString(options.seed() ^ System.nanoTime());
        for (int n = 0; n < options.jobs(); n++) {
            int job = n;
            String flow = mix.get(n % mix.size());
            String body = all.get(Options.FLOWS.indexOf(flow)).toString();
            futures.add(pool.submit(() -> oneJob(job, flow, body,
                    "chaos-" + run + "-" + job, deadline)));
        }
        List<JobRun> runs = new ArrayList<>();
        for (Future<JobRun> f : futures) {
            try {
                runs.add(f.get());
            } catch (Exception e) {
                runs.add(new JobRun(-1, "?", null, "error", e.toString()));
            }
        }
        pool.shutdownNow();
        working.set(false);
        try {
            chaos.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return runs;
    }

    private JobRun oneJob(int n, String flow, String body, String idempotencyKey, Instant runDeadline) {
        Instant deadline = min(Instant.now().plus(options.jobTimeout()), runDeadline);
        String id = null;
        String note = "";
        // submit until the gateway takes it; the same Idempotency-Key makes a retry after a lost answer the same job
        while (id == null && Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = http.send(request("/jobs").header("Content-Type", "application/json")
                        .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202 || r.statusCode() == 200 || r.statusCode() == 201) {
                    id = JSON.readTree(r.body()).path("id").asText();
                } else if (r.statusCode() >= 500 || r.statusCode() == 429) {
                    note = "POST answered " + r.statusCode();
                    pause(1000);
                } else {
                    finished.incrementAndGet();
                    return new JobRun(n, flow, null, "refused", r.statusCode() + " " + abbreviate(r.body()));
                }
            } catch (IOException e) {
                note = "gateway unreachable while submitting";
                pause(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (id == null) {
            finished.incrementAndGet();
            return new JobRun(n, flow, null, "not accepted", note);
        }
        String status = "unknown";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = http.send(request("/jobs/" + id).header("Accept", "application/json").GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    status = JSON.readTree(r.body()).path("status").asText();
                    if (TERMINAL.contains(status)) {
                        break;
                    }
                    if (status.equals("needs_input")) {
                        note = "asked: " + abbreviate(JSON.readTree(r.body()).path("question").asText());
                        http.send(request("/jobs/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                } else if (r.statusCode() == 404) {
                    status = "lost";
                    break;
                }
            } catch (IOException e) {
                // the gateway is being restarted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause(1000);
        }
        int done = finished.incrementAndGet();
        if (done % Math.max(1, options.jobs() / 10) == 0 || done == options.jobs()) {
            out.printf("chaos: %d of %d jobs done (%d faults so far)%n", done, options.jobs(), chaosLog.size());
        }
        return new JobRun(n, flow, id, status, note);
    }

    // --- faults ---------------------------------------------------------------------------------------------------

    private void chaos(LocalStack stack, AtomicBoolean working) {
        boolean brokerDone = !options.brokerRestart();
        boolean storeDone = !options.storeRestart();
        int killed = 0;
        long mean = options.killEvery().toMillis();
        List<ServiceProcess> cycle = new ArrayList<>();
        while (working.get()) {
            pause(mean / 2 + (long) (random.nextDouble() * mean));
            if (!working.get()) {
                break;
            }
            int done = finished.get();
            try {
                if (!brokerDone && done >= options.jobs() / 3) {
                    brokerDone = true;
                    Instant t = Instant.now();
                    stack.kafka().stop();
                    stack.kafka().start();
                    record("broker restarted in " + Duration.between(t, Instant.now()).toMillis() + " ms");
                } else if (!storeDone && done >= 2 * options.jobs() / 3) {
                    storeDone = true;
                    Instant t = Instant.now();
                    stack.postgres().stop();
                    stack.postgres().start();
                    record("job-store PostgreSQL restarted in " + Duration.between(t, Instant.now()).toMillis() + " ms");
                } else if (options.kills() == 0 || killed < options.kills()) {
                    if (cycle.isEmpty()) {
                        cycle.addAll(victimOrder(stack, killed == 0));
                    }
                    ServiceProcess victim = cycle.remove(0);
                    Instant t = Instant.now();
                    victim.kill();
                    pause(500 + random.nextInt(1500));
                    victim.start();
                    killed++;
                    kills.merge(victim.name(), 1, Integer::sum);
                    record("kill -9 " + victim.name() + ", ready again after "
                            + Duration.between(t, Instant.now()).toMillis() + " ms");
                }
            } catch (RuntimeException e) {
                record("fault injection failed: " + e.getMessage());
            }
        }
    }

    /**
     * Every instance once per round, in a random order; the first round starts with the orchestrator and the
     * second replica (in a random order of the two), so that even a short run (CI's three kills) hits both.
     */
    private List<ServiceProcess> victimOrder(LocalStack stack, boolean first) {
        List<ServiceProcess> order = new ArrayList<>(stack.services());
        java.util.Collections.shuffle(order, random);
        if (first) {
            List<ServiceProcess> front = new ArrayList<>(order.stream().filter(p -> p.name().equals(StackConfig.ORCHESTRATOR)
                    || StackConfig.isReplica(p.name())).toList());
            order.removeAll(front);
            java.util.Collections.shuffle(front, random);
            order.addAll(0, front);
        }
        return order;
    }

    private void record(String event) {
        chaosLog.add(event);
        out.println("chaos: " + event);
    }

    // --- checks ---------------------------------------------------------------------------------------------------

    private int report(LocalStack stack, List<JobRun> runs, Duration took) {
        List<String> failures = new ArrayList<>();
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Map<String, Long>> byFlow = new TreeMap<>();
        runs.forEach(r -> {
            byStatus.merge(r.status(), 1L, Long::sum);
            byFlow.computeIfAbsent(r.flow(), f -> new TreeMap<>()).merge(r.status(), 1L, Long::sum);
        });
        out.println();
        out.println("## Chaos: " + options.jobs() + " jobs, " + took.toSeconds() + " s");
        out.println("faults: " + chaosLog.size() + " (" + kills + (options.brokerRestart() ? ", broker restart" : "")
                + (options.storeRestart() ? ", job-store restart" : "") + ")");
        out.println("jobs by status: " + byStatus);
        out.println("jobs by flow:   " + byFlow);
        runs.stream().filter(r -> !TERMINAL.contains(r.status()) || !r.note().isEmpty())
                .forEach(r -> out.println("  job " + r.n() + " (" + r.flow() + ") " + r.id() + ": " + r.status()
                        + (r.note().isEmpty() ? "" : " — " + r.note())));
        long notTerminal = runs.stream().filter(r -> !TERMINAL.contains(r.status())).count();
        check(failures, "every job terminal", notTerminal == 0, notTerminal + " not terminal");
        List<String> ids = runs.stream().map(JobRun::id).filter(java.util.Objects::nonNull).toList();
        try (Connection c = stack.postgres().connect(LocalStack.DATABASE)) {
            long stored = count(c, "select count(*) from jobs where id = any(?::uuid[])", ids);
            check(failures, "0 lost", stored == ids.size() && ids.size() == runs.size(),
                    (runs.size() - stored) + " of " + runs.size() + " accepted jobs not in the job store");
            long twice = count(c, "select count(*) from steps s where s.job_id = any(?::uuid[]) and (select count(*)"
                    + " from processed_results p where p.job_id = s.job_id and p.step_seq = s.seq) > s.attempt", ids);
            check(failures, "0 steps applied twice", twice == 0, twice + " steps with more results applied than attempts");
            // A later step may deliver a file again on purpose (api-data extends db-architect's database.types.ts;
            // the bundle keeps the later one). Twice is: one step's artifact stored twice, or one migration twice.
            long dup = count(c, "select count(*) from (select job_id, step_seq, kind, name from artifacts where job_id ="
                    + " any(?::uuid[]) group by 1, 2, 3, 4 having count(*) > 1) d", ids)
                    + count(c, "select count(*) from (select job_id, md5(content) from artifacts where job_id ="
                    + " any(?::uuid[]) and kind = 'migration' group by 1, 2 having count(*) > 1) d", ids);
            check(failures, "0 duplicated artifacts", dup == 0, dup + " artifacts twice (same step, kind and name, or"
                    + " the same migration)");
            if (dup > 0) {
                try (var st = c.prepareStatement("select job_id, kind, name, array_agg(step_seq order by seq),"
                        + " array_agg(produced_by order by seq), count(distinct md5(coalesce(content, ''))) from artifacts"
                        + " where job_id = any(?::uuid[]) group by 1, 2, 3 having count(*) > 1")) {
                    st.setArray(1, c.createArrayOf("text", ids.toArray()));
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.println("  twice: job " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)
                                    + " from steps " + rs.getString(4) + " by " + rs.getString(5) + ", "
                                    + rs.getInt(6) + " distinct contents");
                        }
                    }
                }
            }
            long unvalidated = count(c, "select count(*) from jobs j where j.id = any(?::uuid[]) and j.status ="
                    + " 'completed' and not exists (select 1 from steps s where s.job_id = j.id and s.kind = 'validate'"
                    + " and s.status = 'succeeded' and jsonb_array_length(coalesce(s.result -> 'evidence', '[]')) > 0)", ids);
            check(failures, "every completed job's validation round ran", unvalidated == 0,
                    unvalidated + " completed jobs without a succeeded validation step with evidence");
        } catch (SQLException e) {
            failures.add("job store unreadable: " + e.getMessage());
        }
        sandboxSweep(stack, failures);
        replicas(stack, failures);
        secrets(stack, ids, failures);
        out.println(failures.isEmpty() ? "RESULT: every check held" : "RESULT: " + failures.size() + " checks failed: "
                + failures);
        return failures.isEmpty() ? 0 : 1;
    }

    private void check(List<String> failures, String what, boolean held, String otherwise) {
        out.println((held ? "ok    " : "FAIL  ") + what + (held ? "" : ": " + otherwise));
        if (!held) {
            failures.add(what);
        }
    }

    private static long count(Connection c, String sql, List<String> ids) throws SQLException {
        try (var st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** What killed specialists left on the sandbox server, and that one janitor sweep removes it. */
    private void sandboxSweep(LocalStack stack, List<String> failures) {
        try (Connection c = stack.postgres().connect("postgres"); Statement st = c.createStatement()) {
            long before = scalar(st, "select count(*) from pg_database where datname like 'sbx\\_%'");
            long rolesBefore = scalar(st, "select count(*) from pg_roles where rolname like 'sbx\\_%'");
            // every job is terminal: no step is running, so the janitor may take everything it finds
            try (Sandbox sandbox = new Sandbox(SandboxSettings.builder(stack.postgres().jdbcUrl("postgres"),
                    PostgresServer.USERNAME, PostgresServer.PASSWORD).build())) {
                SweepReport swept = sandbox.sweep(Duration.ZERO);
                long after = scalar(st, "select count(*) from pg_database where datname like 'sbx\\_%'");
                long rolesAfter = scalar(st, "select count(*) from pg_roles where rolname like 'sbx\\_%'");
                out.println("sandbox leftovers before the sweep: " + before + " databases, " + rolesBefore + " roles;"
                        + " swept " + swept.droppedDatabases().size() + " + " + swept.droppedRoles().size()
                        + (swept.failures().isEmpty() ? "" : ", failures " + swept.failures()));
                check(failures, "0 sandbox databases or roles after one janitor sweep", after == 0 && rolesAfter == 0,
                        after + " databases, " + rolesAfter + " roles left");
            }
        } catch (SQLException | RuntimeException e) {
            failures.add("sandbox sweep: " + e.getMessage());
        }
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Both instances of the replicated specialist are members of its group with partitions of its topic. */
    private void replicas(LocalStack stack, List<String> failures) {
        if (options.replicated() == null) {
            return;
        }
        String service = options.replicated().substring("specialist-".length());
        String group = "backend-team-" + service;
        Map<String, Object> config = new LinkedHashMap<>(stack.kafkaClientProperties());
        try (Admin admin = Admin.create(config)) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                    .get(group);
            List<String> members = new ArrayList<>();
            int withPartitions = 0;
            for (MemberDescription m : d.members()) {
                int partitions = m.assignment().topicPartitions().size();
                members.add(m.clientId() + "@" + m.host() + ": " + m.assignment().topicPartitions());
                if (partitions > 0) {
                    withPartitions++;
                }
            }
            out.println("group " + group + ": " + members);
            Map<String, String> worked = new TreeMap<>();
            for (ServiceProcess p : stack.services()) {
                if (StackConfig.moduleOf(p.name()).equals(options.replicated())) {
                    worked.put(p.name(), tasksInLog(p.logFile()) + " tasks logged");
                }
            }
            out.println("work per replica: " + worked);
            check(failures, "both replicas of " + options.replicated() + " hold partitions", withPartitions >= 2,
                    withPartitions + " members with partitions");
        } catch (Exception e) {
            failures.add("replica check: " + e.getMessage());
        }
    }

    private static long tasksInLog(Path log) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            // TaskConsumer logs "task <id> step <n> attempt <a> <service> finished: <status> in <ms> ms"
            return lines.filter(l -> l.contains(" task ") && l.contains(" finished: ")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    // --- secrets --------------------------------------------------------------------------------------------------

    private void secrets(LocalStack stack, List<String> ids, List<String> failures) {
        Map<String, List<String>> found = new TreeMap<>();
        // the scanner must see a leak in each form it claims to: a canary base64-encoded behind other bytes, and one
        // URL-encoded, in a text of their own
        Canary probe = canaries.get(canaries.size() - 1);
        Map<String, List<String>> base64 = new TreeMap<>();
        Map<String, List<String>> url = new TreeMap<>();
        scan("self-test", "{\"blob\":\"" + Base64.getEncoder().encodeToString(("ab" + probe.value())
                .getBytes(StandardCharsets.UTF_8)) + "\"}", base64);
        scan("self-test", "url=https://x/?k=" + URLEncoder.encode(probe.value(), StandardCharsets.UTF_8) + "&", url);
        if (!base64.containsKey(probe.where() + " (encoded)") || !url.containsKey(probe.where() + " (encoded)")) {
            failures.add("the secrets scanner did not see planted base64 and URL-encoded leaks: it proves nothing");
        }
        long[] scanned = new long[5];
        // logs
        try (Stream<Path> logs = Files.list(stack.stateDirectory().resolve("logs"))) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                scanned[0] += text.length();
                scan("log " + log.getFileName(), text, found);
            }
        } catch (IOException e) {
            failures.add("logs unreadable: " + e.getMessage());
        }
        // job records: every table of the job store, row by row as text
        try (Connection c = stack.postgres().connect(LocalStack.DATABASE); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("select t::text from \"" + table + "\" t")) {
                    while (rs.next()) {
                        String row = rs.getString(1);
                        scanned[1] += row.length();
                        scan("job store table " + table, row, found);
                    }
                }
            }
        } catch (SQLException e) {
            failures.add("job store unreadable: " + e.getMessage());
        }
        // events: every record of every topic
        Map<String, Object> config = new LinkedHashMap<>(stack.kafkaClientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-scan-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Map.Entry<String, List<PartitionInfo>> t : consumer.listTopics(Duration.ofSeconds(30)).entrySet()) {
                t.getValue().forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant until = Instant.now().plusSeconds(120);
            while (Instant.now().isBefore(until) && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    StringBuilder text = new StringBuilder();
                    if (r.value() != null) {
                        text.append(new String(r.value(), StandardCharsets.UTF_8));
                    }
                    r.headers().forEach(h -> text.append('\n').append(h.key()).append('=')
                            .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
                    scanned[2] += text.length();
                    scan("topic " + r.topic(), text.toString(), found);
                }
            }
        } catch (RuntimeException e) {
            failures.add("events unreadable: " + e.getMessage());
        }
        // reports and bundles, through the gateway as a user reads them
        for (String id : ids) {
            for (String format : List.of("", "?format=json")) {
                String report = get("/jobs/" + id + "/report" + format);
                if (report != null) {
                    scanned[3] += report.length();
                    scan("report of " + id, report, found);
                }
            }
            byte[] bundle = getBytes("/jobs/" + id + "/bundle");
            if (bundle != null) {
                try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
                    Set<String> entries = new java.util.HashSet<>();
                    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                        if (!entries.add(e.getName())) {
                            failures.add("bundle of " + id + " holds " + e.getName() + " twice");
                        }
                        String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                        scanned[4] += text.length();
                        scan("bundle of " + id + ": " + e.getName(), text, found);
                    }
                } catch (IOException e) {
                    failures.add("bundle of " + id + " unreadable: " + e.getMessage());
                }
            }
        }
        out.printf("secrets scan: %d canaries in %d forms each, over %.1f MB of logs, %.1f MB of job records, %.1f MB"
                        + " of events, %.1f MB of reports, %.1f MB of bundles%n", canaries.size(),
                canaries.get(0).forms().size(), scanned[0] / 1e6, scanned[1] / 1e6, scanned[2] / 1e6, scanned[3] / 1e6,
                scanned[4] / 1e6);
        found.forEach((where, sources) -> out.println("  LEAK " + where + " in " + sources.subList(0,
                Math.min(5, sources.size())) + (sources.size() > 5 ? " and " + (sources.size() - 5) + " more" : "")));
        check(failures, "no canary in logs, job records, events, reports or bundles", found.isEmpty(),
                found.size() + " canaries found");
        if (scanned[1] == 0 || scanned[2] == 0 || scanned[3] == 0) {
            failures.add("the scan read nothing of some source (job records, events or reports): it proves nothing");
        }
    }

    private void scan(String source, String text, Map<String, List<String>> found) {
        for (Canary c : canaries) {
            for (String form : c.forms()) {
                if (text.contains(form)) {
                    List<String> where = found.computeIfAbsent(c.where() + (form.equals(c.value()) ? "" : " (encoded)"),
                            k -> new ArrayList<>());
                    if (!where.contains(source)) {
                        where.add(source);
                    }
                }
            }
        }
    }

    // --- HTTP -----------------------------------------------------------------------------------------------------

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey);
    }

    private String get(String path) {
        byte[] body = getBytes(path);
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    private byte[] getBytes(String path) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                HttpResponse<byte[]> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                return r.statusCode() == 200 ? r.body() : null;
            } catch (IOException e) {
                pause(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() <= 160 ? one : one.substring(0, 160) + "…";
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
