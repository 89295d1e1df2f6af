package dev.backendteam.bench;

import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.ServiceProcess;
import dev.backendteam.stack.StackConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
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
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load program (issue 14; a program, not a test): an open-loop rate of job submissions through a private
 * stack, in steps, each measured from the moment a submission was due (so a slow gateway cannot hide its queue):
 * accept latency p50/p99, what was accepted, refused with 429, failed; per step the job store's backlog, the outbox,
 * each specialist group's consumer lag, CPU per component and resident memory per process. It names the highest
 * rate held with p99 ≤ 1 s and the component that used the most CPU at the first step that missed it; shows the
 * gateway's answer past a key's budget (429 with Retry-After for that key, none for another); then holds a rate for
 * a while and prints each process's memory over time, and which instances of the replicated specialist worked.
 * Run it with {@code deploy/bench/load.sh} ({@code --help}).
 */
public final class Load {
    private static final int KEYS = 24;
    private static final int PER_KEY_PER_MINUTE = 120;

    record Options(Path root, List<Double> rates, Duration step, double sustainRate, Duration sustain,
                   String replicated) {
        static final String USAGE = """
                deploy/bench/load.sh [options]
                  --rates A,B,…       submission rates of the steps, jobs/s (1,2,4,8,16,32)
                  --step D            length of each step (30s)
                  --sustain D         the memory run after the steps (10m; 0 = none)
                  --sustain-rate R    its rate, jobs/s (1)
                  --replicated S      the specialist run as two replicas (db-architect)""";

        static Options parse(Path root, String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--") && i + 1 < args.length) {
                    v.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
                }
            }
            for (String k : v.keySet()) {
                if (!Set.of("--rates", "--step", "--sustain", "--sustain-rate", "--replicated").contains(k)) {
                    throw new IllegalArgumentException("unknown option " + k);
                }
            }
            List<Double> rates = List.of(v.getOrDefault("--rates", "1,2,4,8,16,32").split(",")).stream()
                    .map(String::trim).map(Double::parseDouble).toList();
            String replicated = v.getOrDefault("--replicated", "db-architect");
            return new Options(root, rates, BenchOptions.parseDuration(v.getOrDefault("--step", "30s"), "--step"),
                    Double.parseDouble(v.getOrDefault("--sustain-rate", "1")),
                    BenchOptions.parseDuration(v.getOrDefault("--sustain", "10m"), "--sustain"),
                    replicated.startsWith("specialist-") ? replicated : "specialist-" + replicated);
        }
    }

    private record Step(double rate, int sent, int accepted, int limited, int failed, long p50, long p99, long max) {
        boolean held() {
            return failed == 0 && limited == 0 && accepted > 0 && p99 <= 1000;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> keys = new ArrayList<>();
    private String gateway;
    private String body;
    private volatile String lastRetryAfter = "-";

    Load(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ProgramMain.run("load", Options.USAGE, args, Options::parse, o -> new Load(o, System.out).run());
    }

    int run() throws Exception {
        SecureRandom r = new SecureRandom();
        StringBuilder keyList = new StringBuilder();
        for (int i = 0; i < KEYS; i++) {
            keys.add("lk-" + HexFormat.of().formatHex(r.generateSeed(12)));
            keyList.append(i == 0 ? "" : ",").append("k").append(i).append(':').append(keys.get(i));
        }
        try (InputStream in = Load.class.getResourceAsStream("jobs/new-feature.json")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path state = options.root().resolve(StackConfig.STATE_FOLDER).resolve("load");
        // a fresh broker and job store: an earlier run's backlog (tasks still in Kafka) would load the first steps
        LocalStack.stopLeftovers(state);
        for (String data : List.of("kafka", "postgres")) {
            deleteTree(state.resolve(data));
        }
        out.printf("load: steps %s jobs/s of %d s each, then %d s at %.1f jobs/s; %d API keys of %d submissions a minute;"
                        + " %s as two replicas%n", options.rates(), options.step().toSeconds(), options.sustain().toSeconds(),
                options.sustainRate(), KEYS, PER_KEY_PER_MINUTE, options.replicated());
        LocalStack stack = LocalStack.start(StackConfig.builder(options.root()).stateDirectory(state).freePorts()
                .stopLeftovers(true).startupTimeout(Duration.ofSeconds(180))
                .environment("orchestrator", "BACKEND_TEAM_API_KEYS", keyList.toString())
                .environment("orchestrator", "BACKEND_TEAM_SUBMISSIONS_PER_MINUTE", Integer.toString(PER_KEY_PER_MINUTE))
                .replicas(options.replicated(), 2).build());
        try {
            gateway = stack.gatewayUrl();
            out.println();
            out.println("| rate/s | sent | 202 | 429/503 | failed | p50 ms | p99 ms | max ms | jobs not done | outbox | lag"
                    + " | machine (cores busy) | top CPU (cores, children included) | RSS MB (orch, broker, pg) |");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            List<Step> steps = new ArrayList<>();
            Step firstMissed = null;
            String missedCpu = null;
            for (double rate : options.rates()) {
                var before = CpuUsage.take(CpuUsage.processes(stack.stateDirectory()));
                Step s = submitAt(rate, options.step(), keys);
                var after = CpuUsage.take(CpuUsage.processes(stack.stateDirectory()));
                Map<String, Double> cores = CpuUsage.cores(before, after);
                String top = top(cores);
                steps.add(s);
                double machine = CpuUsage.machineCores(before, after, Runtime.getRuntime().availableProcessors());
                out.printf("| %.0f | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s | %.2f of %d | %s | %s |%n", rate,
                        s.sent(), s.accepted(), s.limited(), s.failed(), s.p50(), s.p99(), s.max(), jobsNotDone(stack),
                        outbox(stack), lag(stack), machine, Runtime.getRuntime().availableProcessors(), top,
                        rss(stack, List.of("orchestrator", "kafka", "postgres")));
                if (!s.held() && firstMissed == null) {
                    firstMissed = s;
                    missedCpu = top;
                }
            }
            double held = steps.stream().filter(Step::held).mapToDouble(Step::rate).max().orElse(0);
            out.println();
            out.printf("highest rate held (p99 accept ≤ 1 s, nothing refused or failed): %.0f jobs/s%n", held);
            out.println(firstMissed == null ? "no step missed it: raise --rates to find the limit"
                    : String.format("first step that missed it: %.0f jobs/s (p99 %d ms, %d failed); the most CPU then: %s",
                    firstMissed.rate(), firstMissed.p99(), firstMissed.failed(), missedCpu));
            flood();
            replicas(stack);
            // the steps left a backlog far beyond what two cores work off: the memory run starts from an empty queue
            cancelBacklog(stack);
            if (!options.sustain().isZero()) {
                sustain(stack);
                replicas(stack);
                cancelBacklog(stack);
            }
            return 0;
        } finally {
            out.println("load: stopping the private stack …");
            stack.close();
        }
    }

    /** One key past its budget (a minute's burst, then the refill), another key beside it at a calm rate. */
    private void flood() throws Exception {
        String flooder = keys.get(KEYS - 1);
        String calm = keys.get(KEYS - 2);
        Duration d = Duration.ofSeconds(30);
        CountDownLatch done = new CountDownLatch(2);
        Step[] result = new Step[2];
        Thread a = new Thread(() -> {
            result[0] = submitAt(10, d, List.of(flooder));
            done.countDown();
        });
        Thread b = new Thread(() -> {
            result[1] = submitAt(0.5, d, List.of(calm));
            done.countDown();
        });
        a.start();
        b.start();
        done.await();
        out.println();
        out.printf("past a key's budget (%d a minute, a minute's burst): one key at 10 jobs/s for %d s → %d accepted,"
                        + " %d answered 429 (Retry-After: %s), %d failed; another key at 0.5 jobs/s meanwhile → %d"
                        + " accepted, %d 429%n", PER_KEY_PER_MINUTE, d.toSeconds(), result[0].accepted(), result[0].limited(),
                lastRetryAfter, result[0].failed(), result[1].accepted(), result[1].limited());
    }

    /** Memory of every process, sampled while a steady rate is held. */
    private void sustain(LocalStack stack) {
        out.println();
        out.printf("sustained %.1f jobs/s for %d s — resident memory (MB) every %d s:%n", options.sustainRate(),
                options.sustain().toSeconds(), options.sustain().toSeconds() / 10);
        List<String> names = new ArrayList<>();
        stack.services().forEach(s -> names.add(s.name()));
        names.add("kafka");
        names.add("postgres");
        out.println("| t s | " + String.join(" | ", names) + " | jobs not done | outbox | lag |");
        out.println("|---|" + "---|".repeat(names.size()) + "---|---|---|");
        Instant began = Instant.now();
        Thread sampler = new Thread(() -> {
            for (int i = 0; i <= 10; i++) {
                out.printf("| %d | %s | %s | %s | %s |%n", Duration.between(began, Instant.now()).toSeconds(),
                        rss(stack, names).replace(", ", " | "), jobsNotDone(stack), outbox(stack), lag(stack));
                if (i < 10) {
                    sleep(options.sustain().toMillis() / 10);
                }
            }
        });
        sampler.start();
        Step s = submitAt(options.sustainRate(), options.sustain(), keys.subList(0, KEYS - 2));
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.printf("sustained run: %d sent, %d accepted, %d 429, %d failed, p50 %d ms, p99 %d ms%n", s.sent(),
                s.accepted(), s.limited(), s.failed(), s.p50(), s.p99());
    }

    private void replicas(LocalStack stack) {
        Map<String, Long> tasks = new TreeMap<>();
        for (ServiceProcess p : stack.services()) {
            if (StackConfig.moduleOf(p.name()).equals(options.replicated())) {
                try (var lines = Files.lines(p.logFile(), StandardCharsets.ISO_8859_1)) {
                    tasks.put(p.name(), lines.filter(l -> l.contains(" task ") && l.contains(" finished: ")).count());
                } catch (IOException e) {
                    tasks.put(p.name(), -1L);
                }
            }
        }
        out.println();
        out.println("tasks finished per replica of " + options.replicated() + ": " + tasks);
    }

    /** What is still queued is cancelled, so that the stop is quick (the job store is the queue: durable, on disk). */
    private void cancelBacklog(LocalStack stack) {
        int cancelled = 0;
        try (Connection c = stack.postgres().connect(LocalStack.DATABASE); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id, owner from jobs where status not in ('completed', 'failed',"
                     + " 'cancelled')")) {
            List<String[]> open = new ArrayList<>();
            while (rs.next()) {
                open.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            for (String[] job : open) {
                String key = keys.get(Integer.parseInt(job[1].substring(1)));
                send(HttpRequest.newBuilder(URI.create(gateway + "/jobs/" + job[0] + "/cancel"))
                        .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build());
                cancelled++;
            }
        } catch (SQLException | RuntimeException e) {
            out.println("load: could not cancel the backlog: " + e.getMessage());
        }
        out.println("load: cancelled the " + cancelled + " jobs still queued or running");
    }

    // --- the open loop --------------------------------------------------------------------------------------------

    private Step submitAt(double rate, Duration duration, List<String> byKeys) {
        long interval = (long) (1_000_000_000L / rate);
        long count = Math.max(1, (long) (duration.toNanos() / interval));
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch((int) count);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime() + 50_000_000L;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            String key = byKeys.get((int) (i % byKeys.size()));
            timer.schedule(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/jobs")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                    long ms = (System.nanoTime() - due) / 1_000_000;
                    if (e != null) {
                        failed.incrementAndGet();
                    } else if (r.statusCode() == 202) {
                        ok.incrementAndGet();
                        latencies.add(ms);
                    } else if (r.statusCode() == 429 || r.statusCode() == 503) {
                        // 429: the key's budget; 503: the replica's bound on submissions in flight
                        limited.incrementAndGet();
                        lastRetryAfter = r.headers().firstValue("Retry-After").orElse("missing") + " s";
                    } else {
                        failed.incrementAndGet();
                    }
                    answered.countDown();
                });
            }, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        try {
            answered.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        return new Step(rate, (int) count, ok.get(), limited.get(), failed.get() + (int) answered.getCount(),
                percentile(sorted, 50), percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // --- samples --------------------------------------------------------------------------------------------------

    private static String top(Map<String, Double> cores) {
        return cores.entrySet().stream().filter(e -> !e.getKey().equals("bench"))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue())).reduce((a, b) -> a + ", " + b).orElse("-");
    }

    private static String rss(LocalStack stack, List<String> names) {
        Map<String, ProcessHandle> processes = CpuUsage.processes(stack.stateDirectory());
        List<String> values = new ArrayList<>();
        for (String name : names) {
            ProcessHandle p = processes.get(name);
            values.add(p == null ? "-" : Long.toString(rssKb(p.pid()) / 1024));
        }
        return String.join(", ", values);
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String jobsNotDone(LocalStack stack) {
        return query(stack, "select count(*) from jobs where status not in ('completed', 'failed', 'cancelled')");
    }

    private static String outbox(LocalStack stack) {
        return query(stack, "select count(*) from outbox");
    }

    private static String query(LocalStack stack, String sql) {
        try (Connection c = stack.postgres().connect(LocalStack.DATABASE); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "?";
        }
    }

    /** Records not yet consumed by each specialist's group, over all partitions of its topic. */
    private static String lag(LocalStack stack) {
        try (Admin admin = Admin.create(new LinkedHashMap<>(stack.kafkaClientProperties()))) {
            long total = 0;
            Map<String, Long> perGroup = new TreeMap<>();
            for (String service : List.of("db-architect", "security", "query-optimizer", "ops")) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("backend-team-" + service)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                        .get(10, TimeUnit.SECONDS);
                long lag = 0;
                for (var e : committed.entrySet()) {
                    if (e.getValue() != null) {
                        lag += ends.get(e.getKey()).offset() - e.getValue().offset();
                    }
                }
                perGroup.put(service, lag);
                total += lag;
            }
            return total == 0 ? "0" : perGroup.toString().replace(" ", "");
        } catch (Exception e) {
            return "?";
        }
    }

    private void send(HttpRequest request) {
        try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
