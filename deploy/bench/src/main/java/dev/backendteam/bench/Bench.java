package dev.backendteam.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.ServiceProcess;
import dev.backendteam.stack.StackConfig;
import dev.backendteam.stack.StackState;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The benchmark program of issue 3: N jobs at concurrency C through the REST gateway, the raw Kafka round trip on
 * the same broker, and the per-hop overhead as a ratio of the two. Attaches to a running stack, or starts a private
 * one with {@code --start} and stops it at the end. Exit code 0 when every measured job completed, 1 when some did
 * not (the figures are printed either way), 2 for a usage error or a stack that cannot be reached or started.
 */
public final class Bench {
    /** Where {@code --start} keeps its stack: apart from the launcher's {@code .backend-team/} and the e2e suite's. */
    static final String STATE_SUBFOLDER = "bench";
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final BenchOptions options;
    private final PrintStream out;

    /** Where the jobs go: a gateway, its broker, the specialists' URLs (for engine times) and how it was found. */
    record Target(String gateway, String bootstrap, List<String> specialistUrls, Path stateDirectory,
            String description) {
    }

    private Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BenchOptions options;
        try {
            options = BenchOptions.parse(Arrays.asList(args), Path.of("").toAbsolutePath(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.print(BenchOptions.USAGE);
            return;
        }
        // On Ctrl-C or SIGTERM the private stack stops through LocalStack's own shutdown hook; the run then fails in
        // whatever it was doing, which is no news: say once why, instead.
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get()) {
                stopping.set(true);
                System.err.println("bench: interrupted; stopping what it started, no figures");
            }
        }, "bench-interrupted"));
        int code;
        try {
            code = new Bench(options, out).run();
        } catch (BenchException e) {
            if (!stopping.get()) {
                System.err.println("bench: " + e.getMessage());
            }
            code = 2;
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                System.err.println("bench: failed: " + e);
                e.printStackTrace();
            }
            code = 2;
        }
        finished.set(true);
        System.exit(code);
    }

    static final class BenchException extends RuntimeException {
        BenchException(String message) {
            super(message);
        }

        BenchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    int run() {
        Instant began = Instant.now();
        Instant deadline = began.plus(options.timeout());
        Machine machine = Machine.current();
        double loadBefore = Machine.loadAverage();
        LocalStack stack = null;
        try {
            Target target;
            if (options.start()) {
                stack = startStack();
                target = new Target(stack.gatewayUrl(), stack.bootstrapServers(), stack.services().stream()
                        .filter(s -> !s.name().equals(StackConfig.ORCHESTRATOR)).map(ServiceProcess::url).toList(),
                        stack.stateDirectory(), "started by the bench in " + options.root().relativize(stack.stateDirectory())
                                + " (stopped at the end): gateway " + stack.gatewayUrl() + ", broker "
                                + stack.bootstrapServers() + ", started in " + BenchReport.seconds(Duration.between(began,
                                Instant.now())));
            } else {
                target = attach();
            }
            return measure(target, began, deadline, machine, loadBefore);
        } finally {
            if (stack != null) {
                out.println("bench: stopping the private stack …");
                stack.close();
                out.println("bench: stopped; nothing of it is left running");
            }
        }
    }

    private LocalStack startStack() {
        Path state = options.root().resolve(StackConfig.STATE_FOLDER).resolve(STATE_SUBFOLDER);
        out.println("bench: starting a private stack in " + state + " (PostgreSQL, Kafka, five services) …");
        try {
            return LocalStack.start(StackConfig.builder(options.root())
                    .stateDirectory(state)
                    .freePorts()
                    // Only pid files of this folder are looked at: what an earlier, killed bench run left behind.
                    .stopLeftovers(true)
                    .startupTimeout(Duration.ofSeconds(180))
                    // the bench measures the pipeline, not the gateway's submission budget per API key (429)
                    .environment("orchestrator", "BACKEND_TEAM_SUBMISSIONS_PER_MINUTE", "0")
                    .build());
        } catch (RuntimeException e) {
            throw new BenchException("the stack did not start: " + e.getMessage(), e);
        }
    }

    /** The gateway and broker given, else those of {@code .backend-team/stack.properties} (the launcher's up). */
    private Target attach() {
        Path stateDir = options.root().resolve(StackConfig.STATE_FOLDER);
        Optional<StackState> state;
        try {
            state = StackState.read(stateDir);
        } catch (RuntimeException e) {
            state = Optional.empty();
            System.err.println("bench: ignoring " + stateDir.resolve(StackState.FILE) + ": " + e.getMessage());
        }
        String gateway = options.gateway();
        String bootstrap = options.bootstrap();
        List<String> specialists = new ArrayList<>();
        Path processes = null;
        String source = "given on the command line";
        if (state.isPresent()) {
            StackState s = state.get();
            boolean sameStack = gateway == null || gateway.equals(s.gatewayUrl());
            if (gateway == null && s.gatewayUrl() != null) {
                gateway = s.gatewayUrl();
            }
            if (bootstrap == null && sameStack) {
                bootstrap = s.bootstrapServers();
            }
            if (sameStack) {
                s.servicePorts().forEach((name, port) -> {
                    if (!name.equals(StackConfig.ORCHESTRATOR)) {
                        specialists.add("http://127.0.0.1:" + port);
                    }
                });
                processes = stateDir;
                source = "from " + options.root().relativize(stateDir.resolve(StackState.FILE)) + " (started "
                        + s.startedAt() + ")";
            }
        }
        if (gateway == null || bootstrap == null) {
            throw new BenchException("no stack to attach to: give --gateway and --bootstrap, start one with "
                    + "./backend-team up (it writes " + stateDir.resolve(StackState.FILE) + "), or use --start");
        }
        try {
            Loopback.requireUrl(gateway, "the gateway");
            Loopback.requireBootstrap(bootstrap, "the broker");
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage());
        }
        return new Target(gateway, bootstrap, specialists, processes, "attached, " + source + ": gateway " + gateway
                + ", broker " + bootstrap);
    }

    private int measure(Target target, Instant began, Instant deadline, Machine machine, double loadBefore) {
        GatewayClient gateway = new GatewayClient(target.gateway(), options.apiKey());
        awaitReady(gateway);
        KafkaFollower updates = options.follow().equals("kafka") ? new KafkaFollower(target.bootstrap()) : null;
        try {
            return measure(target, gateway, updates == null ? gateway : updates, began, deadline, machine, loadBefore);
        } finally {
            if (updates != null) {
                updates.close();
            }
        }
    }

    private int measure(Target target, GatewayClient gateway, JobFollower follower, Instant began, Instant deadline,
            Machine machine, double loadBefore) {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        ObjectNode template;
        try {
            template = JobRunner.template(options.flow(), options.body());
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage(), e);
        }
        JobRunner runner = new JobRunner(gateway, follower, template, runId, options.jobTimeout(), deadline);
        String body = (options.body() == null ? "" : options.root().relativize(options.body().toAbsolutePath()) + ": ")
                + GatewayClient.abbreviate(template.toString());

        JobRunner.Phase warmup = new JobRunner.Phase("warmup", List.of(), 0, Instant.now(), Instant.now());
        if (options.warmup() > 0) {
            out.println("bench: " + options.warmup() + " warm-up jobs at concurrency " + options.concurrency() + " …");
            warmup = runner.run("warmup", options.warmup(), options.concurrency());
            if (warmup.completed().isEmpty()) {
                throw new BenchException("no warm-up job completed; first failure: "
                        + warmup.failed().stream().findFirst().map(JobSample::failure).orElse("none ran (run timeout)"));
            }
        }

        out.println("bench: raw Kafka round trip, " + options.roundTrips() + " records on " + target.bootstrap() + " …");
        KafkaRoundTrip.Result roundTrip = KafkaRoundTrip.measure(target.bootstrap(), options.roundTrips(),
                options.payloadBytes(), deadline);

        Map<EngineTimes.Key, EngineTimes.Totals> engineBefore = EngineTimes.scrape(target.specialistUrls());
        Map<String, ProcessHandle> processes = CpuUsage.processes(target.stateDirectory());
        out.println("bench: " + options.jobs() + " measured jobs at concurrency " + options.concurrency() + " …");
        CpuUsage.Snapshot cpuBefore = CpuUsage.take(processes);
        JobRunner.Phase measured = runner.run("measured", options.jobs(), options.concurrency());
        CpuUsage.Snapshot cpuAfter = CpuUsage.take(processes);
        Map<EngineTimes.Key, EngineTimes.Totals> engineAfter = EngineTimes.scrape(target.specialistUrls());
        double loadAfter = Machine.loadAverage();

        out.println("bench: reading the steps of " + measured.samples().size() + " jobs …");
        measured = withSteps(gateway, measured);

        new BenchReport(out).print(new BenchReport.Run(began, machine, loadBefore, loadAfter, target.description(),
                options, body, warmup, roundTrip, measured, EngineTimes.meanMillis(engineBefore, engineAfter),
                CpuUsage.cores(cpuBefore, cpuAfter), CpuUsage.machineCores(cpuBefore, cpuAfter, machine.cores())));
        return measured.failed().isEmpty() && measured.notRun() == 0 ? 0 : 1;
    }

    private void awaitReady(GatewayClient gateway) {
        Instant until = Instant.now().plus(READY_WAIT);
        while (!gateway.ready()) {
            if (Instant.now().isAfter(until)) {
                throw new BenchException("the gateway " + gateway.baseUrl() + " is not ready (GET /q/health/ready) after "
                        + READY_WAIT.toSeconds() + " s; is the stack running?");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while waiting for the gateway", e);
            }
        }
    }

    /** GET /jobs/{id} for every measured job, after the run, four at a time. */
    private static JobRunner.Phase withSteps(GatewayClient gateway, JobRunner.Phase phase) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JobSample>> futures = new ArrayList<>();
            for (JobSample s : phase.samples()) {
                futures.add(pool.submit(() -> s.id() == null ? s : s.withSteps(gateway.steps(s.id()))));
            }
            List<JobSample> out = new ArrayList<>();
            for (Future<JobSample> f : futures) {
                out.add(f.get());
            }
            return new JobRunner.Phase(phase.name(), List.copyOf(out), phase.notRun(), phase.startedAt(),
                    phase.endedAt());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while reading steps", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BenchException("cannot read a job's steps: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
