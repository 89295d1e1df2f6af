package dev.backendteam.bench;

import dev.backendteam.contract.JobInputs;
import dev.backendteam.orchestrator.engine.EmbeddingMatcher;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.FlowExamples;
import dev.backendteam.orchestrator.engine.Router;
import dev.backendteam.orchestrator.engine.TaskMatcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The offline router's accuracy program (issue 11): routes every task of {@code routing/labelled-tasks.yaml} with
 * the orchestrator's keywords alone, its embedding matcher alone, and the Router as the orchestrator runs it, and
 * prints how often each was right, on English and on other languages, on the tasks the examples were tuned against
 * and on held-out ones, which tasks were wrong and why, and how it measured. It asserts nothing. Exit code 0, 1 when
 * the Router disagrees with its own combination recomputed here, 2 when the labelled set repeats an example.
 */
public final class RoutingAccuracy {

    private static final String ASKED = LabelledTask.UNCLEAR;
    /** The model unpacked and the tokenizer's native library: in the bench's build folder, run from the root. */
    static final Path WORK_DIRECTORY = Path.of("deploy", "bench", "target", "routing");

    /** What each method made of one task. */
    record Routed(LabelledTask task, Router.Routing keywords, Router.Scores scores,
            Optional<TaskMatcher.Match> match, Router.Routing production, double keywordMs, double matchMs) {
    }

    /** A way to combine keywords and matcher, computed from one task's parts at given thresholds. */
    private record Way(String name, BiFunction<Routed, TaskMatcher.Thresholds, String> flow) {
    }

    private static final List<Way> WAYS = List.of(
            new Way("F  production: a strong match; else keywords where the match agrees", RoutingAccuracy::production),
            new Way("A  keywords; on a tie or no keyword, a strong match", (r, t) ->
                    r.scores().leader().orElseGet(() -> strong(r, t))),
            new Way("B  as A, but on a tie only a flow of the tie", (r, t) -> {
                List<String> leaders = r.scores().leaders();
                String flow = strong(r, t);
                return leaders.size() == 1 ? leaders.get(0)
                        : leaders.isEmpty() || leaders.contains(flow) ? flow : ASKED;
            }),
            new Way("C  a strong match, else keywords", (r, t) -> {
                String flow = strong(r, t);
                return flow.equals(ASKED) ? r.scores().leader().orElse(ASKED) : flow;
            }),
            new Way("D  keywords when they score ≥ 2, else as C", (r, t) -> {
                if (r.scores().leader().isPresent() && r.scores().best() >= 2) {
                    return r.scores().leader().get();
                }
                String flow = strong(r, t);
                return flow.equals(ASKED) ? r.scores().leader().orElse(ASKED) : flow;
            }),
            new Way("E  a strong match only", RoutingAccuracy::strong));

    private final PrintStream out;
    private final FlowCatalog catalog = FlowCatalog.fromClasspath();
    private final FlowExamples examples = FlowExamples.fromClasspath().checkedAgainst(catalog);
    private final TaskMatcher.Thresholds thresholds = TaskMatcher.Thresholds.DEFAULTS;

    private RoutingAccuracy(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length > 0) {
            out.println("usage: RoutingAccuracy (no options: it reads the labelled set and the examples from the "
                    + "class path, and unpacks the model into " + WORK_DIRECTORY + ")");
            System.exit(args[0].equals("--help") ? 0 : 2);
        }
        System.exit(new RoutingAccuracy(out).run());
    }

    private int run() {
        Instant began = Instant.now();
        double loadBefore = Machine.loadAverage();
        List<LabelledTask> tasks = LabelledTask.fromClasspath();
        List<String> shared = shared(tasks, examples);
        if (!shared.isEmpty()) {
            System.err.println("routing: the labelled set repeats example phrasings, the figures would mean "
                    + "nothing: " + shared);
            return 2;
        }
        System.err.println("routing: loading the embedding model …");
        long residentBefore = residentMiB();
        EmbeddingMatcher matcher = EmbeddingMatcher.start(examples, WORK_DIRECTORY, Duration.ofMinutes(5));
        Duration load = matcher.awaitReady();
        long residentLoaded = residentMiB();
        Router keywords = new Router(catalog);
        Router production = new Router(catalog, matcher, thresholds);
        // The first inferences of an ONNX session are slower (allocation, the Java side's JIT): not counted.
        for (int i = 0; i < 10; i++) {
            matcher.match("warm-up sentence number " + i);
        }
        List<Routed> routed = new ArrayList<>();
        for (LabelledTask task : tasks) {
            long t0 = System.nanoTime();
            Router.Routing byKeywords = keywords.route(task.text(), JobInputs.empty(), null);
            long t1 = System.nanoTime();
            Optional<TaskMatcher.Match> match = matcher.match(task.text());
            long t2 = System.nanoTime();
            Router.Routing byProduction = production.route(task.text(), JobInputs.empty(), null);
            routed.add(new Routed(task, byKeywords, keywords.score(task.text(), JobInputs.empty()), match,
                    byProduction, (t1 - t0) / 1e6, (t2 - t1) / 1e6));
        }

        RoutingTally kw = tally("keywords only (no matcher)", routed, r -> verdict(r.keywords()));
        RoutingTally emb = tally("embeddings only (a strong match, else ask)", routed, this::embedding);
        RoutingTally prod = tally("production Router (keywords and embeddings)", routed,
                r -> verdict(r.production()));

        header(began, loadBefore, tasks, matcher, load, residentLoaded - residentBefore, routed);
        accuracy("all tasks", List.of(kw, emb, prod), r -> true);
        accuracy("held-out tasks (written before the examples were tuned, measured after)", List.of(kw, emb, prod),
                r -> r.task().set().equals(LabelledTask.HELD_OUT));
        accuracy("tuning tasks (measured while the examples were tuned)", List.of(kw, emb, prod),
                r -> r.task().set().equals(LabelledTask.TUNING));
        int disagreements = alternatives(routed);
        for (Way way : List.of(WAYS.get(0), WAYS.get(1))) {
            sensitivity(routed, way);
        }
        matrix(prod);
        for (RoutingTally t : List.of(prod, emb, kw)) {
            wrong(t);
        }
        return disagreements == 0 ? 0 : 1;
    }

    /** Phrasings of the labelled set that are also examples, compared as {@link LabelledTask#normalized}. */
    static List<String> shared(List<LabelledTask> tasks, FlowExamples examples) {
        Set<String> reference = examples.flows().values().stream().flatMap(List::stream)
                .map(LabelledTask::normalized).collect(Collectors.toSet());
        return tasks.stream().map(LabelledTask::text).filter(t -> reference.contains(LabelledTask.normalized(t)))
                .toList();
    }

    /** The Router's combination with a matcher, recomputed from the parts (inputs play no part here). */
    private static String production(Routed r, TaskMatcher.Thresholds t) {
        String flow = strong(r, t);
        if (!flow.equals(ASKED)) {
            return flow;
        }
        Optional<String> byKeywords = r.scores().leader();
        return byKeywords.filter(k -> r.match().map(TaskMatcher.Match::flow).filter(k::equals).isPresent())
                .orElse(ASKED);
    }

    private static String strong(Routed r, TaskMatcher.Thresholds t) {
        return r.match().filter(t::strong).map(TaskMatcher.Match::flow).orElse(ASKED);
    }

    private static RoutingTally tally(String method, List<Routed> routed,
            Function<Routed, String[]> how) {
        RoutingTally tally = new RoutingTally(method);
        for (Routed r : routed) {
            String[] v = how.apply(r);
            tally.add(r.task(), v[0], v[1]);
        }
        return tally;
    }

    private static String[] verdict(Router.Routing routing) {
        return routing instanceof Router.Routed r ? new String[] {r.flow(), r.reason()}
                : new String[] {ASKED, ((Router.Unclear) routing).reason()};
    }

    private String[] embedding(Routed r) {
        if (r.match().isEmpty()) {
            return new String[] {ASKED, "no match"};
        }
        TaskMatcher.Match m = r.match().get();
        String why = String.format(Locale.ROOT, "nearest '%s' of %s (similarity %.2f, margin %.2f)", m.example(),
                m.flow(), m.similarity(), m.margin());
        return thresholds.strong(m) ? new String[] {m.flow(), why} : new String[] {ASKED, "too weak: " + why};
    }

    private void header(Instant began, double loadBefore, List<LabelledTask> tasks, EmbeddingMatcher matcher,
            Duration load, long residentAddedMiB, List<Routed> routed) {
        Map<String, Long> sets = tasks.stream().collect(Collectors.groupingBy(LabelledTask::set, TreeMap::new,
                Collectors.counting()));
        Map<String, Long> languages = tasks.stream().collect(Collectors.groupingBy(LabelledTask::lang, TreeMap::new,
                Collectors.counting()));
        Map<String, Long> labels = tasks.stream().collect(Collectors.groupingBy(LabelledTask::expect,
                LinkedHashMap::new, Collectors.counting()));
        LatencySummary kwMs = LatencySummary.of(routed.stream().mapToDouble(Routed::keywordMs).toArray());
        LatencySummary embMs = LatencySummary.of(routed.stream().mapToDouble(Routed::matchMs).toArray());
        out.println("== backend-team routing accuracy — " + began.truncatedTo(ChronoUnit.SECONDS));
        out.println("machine    " + Machine.current().describe());
        out.println(String.format(Locale.ROOT, "load       1-min load average %.2f before, %.2f after (everything on "
                + "this machine: the timings below move with it, the accuracy does not)", loadBefore,
                Machine.loadAverage()));
        out.println("labelled   " + tasks.size() + " tasks of " + LabelledTask.RESOURCE + " (deploy/bench): by set "
                + sets + ", by language " + languages + ", by label " + labels + "; none is an example phrasing");
        out.println("examples   " + examples.size() + " phrasings of " + examples.flows().size() + " flows ("
                + FlowExamples.RESOURCE + ", orchestrator): " + examples.flows().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")));
        out.println("matcher    " + matcher.describe());
        out.println(String.format(Locale.ROOT, "thresholds a match is strong when its similarity is ≥ %.2f and it is "
                + "≥ %.2f ahead of the nearest example of any other flow", thresholds.minSimilarity(),
                thresholds.minMargin()));
        out.println(String.format(Locale.ROOT, "timing     model load and %d examples embedded: %d ms; per task, "
                + "after 10 uncounted: embedding match p50 %.1f ms, p95 %.1f, max %.1f; keywords p50 %.3f ms, "
                + "max %.3f", examples.size(), load.toMillis(), embMs.p50(), embMs.p95(), embMs.max(), kwMs.p50(),
                kwMs.max()));
        out.println(String.format(Locale.ROOT, "footprint  %s; this JVM: heap used %d MiB of at most %d, resident %d "
                + "MiB, of which loading the model and embedding the examples added %d MiB", modelJars(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                Runtime.getRuntime().maxMemory() >> 20, residentMiB(), residentAddedMiB));
        out.println("inputs     the task text alone (no logs, files or spec), so the inputs' points of flows.yaml "
                + "play no part");
        out.println();
    }

    private void accuracy(String which, List<RoutingTally> tallies, Predicate<RoutingTally.Result> in) {
        out.println("-- Accuracy, " + which + ": correct / tasks (a task labelled unclear is correct when the method "
                + "asks)");
        out.println(String.format(Locale.ROOT, "  %-46s %-15s %-15s %-15s %s", "method", "English", "other languages",
                "all", "asked / misrouted"));
        for (RoutingTally t : tallies) {
            RoutingTally part = t.only(in);
            RoutingTally.Count all = part.all();
            out.println(String.format(Locale.ROOT, "  %-46s %-15s %-15s %-15s %d / %d", t.method(),
                    part.english().cell(), part.other().cell(), all.cell(), all.asked(), all.misrouted()));
        }
        out.println("  asked: a question where a flow was expected (no wrong work done); misrouted: a wrong flow, "
                + "or a flow where a person would ask");
        out.println();
    }

    /** Ways to combine the two, from the same routings; the first is the Router's, checked against it. */
    private int alternatives(List<Routed> routed) {
        int disagreements = 0;
        for (Routed r : routed) {
            if (!verdict(r.production())[0].equals(production(r, thresholds))) {
                disagreements++;
                System.err.println("routing: the Router chose " + verdict(r.production())[0] + " but its combination "
                        + "recomputed here gives " + production(r, thresholds) + " for: " + r.task().text());
            }
        }
        out.println("-- Ways to combine them, from the same routings (F is the Router's: "
                + (disagreements == 0 ? "it chose the same for every task" : disagreements + " tasks DIFFER") + ")");
        out.println(String.format(Locale.ROOT, "  %-66s %-15s %-15s %-15s %-15s %s", "combination", "English",
                "other languages", "all", "held-out", "asked / misrouted (all)"));
        for (Way way : WAYS) {
            RoutingTally t = new RoutingTally(way.name());
            routed.forEach(r -> t.add(r.task(), way.flow().apply(r, thresholds), ""));
            out.println(String.format(Locale.ROOT, "  %-66s %-15s %-15s %-15s %-15s %d / %d", t.method(),
                    t.english().cell(), t.other().cell(), t.all().cell(),
                    t.only(x -> x.task().set().equals(LabelledTask.HELD_OUT)).all().cell(), t.all().asked(),
                    t.all().misrouted()));
        }
        out.println();
        return disagreements;
    }

    /** How a combination moves with the thresholds (the defaults are starred), on all tasks and held-out ones. */
    private void sensitivity(List<Routed> routed, Way way) {
        double[] similarities = {0.25, 0.30, 0.35, 0.40, 0.45, 0.50};
        double[] margins = {0.0, 0.03, 0.06, 0.08, 0.10, 0.12, 0.15};
        out.println("-- " + way.name().substring(0, 1) + " by threshold: correct of all tasks (of held-out) "
                + "[asked/misrouted, all]");
        StringBuilder head = new StringBuilder("  similarity \\ margin");
        for (double m : margins) {
            head.append(String.format(Locale.ROOT, "  %-19.2f", m));
        }
        out.println(head);
        for (double s : similarities) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-20.2f", s));
            for (double m : margins) {
                TaskMatcher.Thresholds t = new TaskMatcher.Thresholds(s, m);
                RoutingTally tally = new RoutingTally("");
                routed.forEach(r -> tally.add(r.task(), way.flow().apply(r, t), ""));
                RoutingTally.Count all = tally.all();
                boolean chosen = t.equals(thresholds);
                line.append(String.format(Locale.ROOT, "  %s%3d (%2d) [%2d/%2d]%s", chosen ? "*" : " ", all.correct(),
                        tally.only(x -> x.task().set().equals(LabelledTask.HELD_OUT)).all().correct(), all.asked(),
                        all.misrouted(), chosen ? "*" : " "));
            }
            out.println(line);
        }
        out.println();
    }

    private void matrix(RoutingTally prod) {
        // in the labelled set's order (the catalogue's maps have none), asked last
        List<String> columns = new ArrayList<>(prod.results().stream().map(r -> r.task().expect())
                .filter(e -> !e.equals(ASKED)).distinct().toList());
        columns.add(ASKED);
        Map<String, Map<String, Integer>> cells = new LinkedHashMap<>();
        columns.forEach(c -> cells.put(c, new LinkedHashMap<>()));
        prod.results().forEach(r -> cells.get(r.task().expect()).merge(r.got(), 1, Integer::sum));
        out.println("-- Confusion of the production Router, all tasks: rows expected, columns chosen "
                + "(unclear = asked)");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-16s", ""));
        columns.forEach(c -> head.append(String.format(Locale.ROOT, "%16s", c)));
        out.println(head);
        for (String row : columns) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-16s", row));
            columns.forEach(c -> line.append(String.format(Locale.ROOT, "%16s",
                    cells.get(row).getOrDefault(c, 0) == 0 ? "." : cells.get(row).get(c))));
            out.println(line);
        }
        out.println();
    }

    private void wrong(RoutingTally tally) {
        List<RoutingTally.Result> wrong = tally.wrong();
        out.println("-- Not correct, " + tally.method() + ": " + wrong.size() + " (h = held-out)");
        for (RoutingTally.Result r : wrong) {
            out.println(String.format(Locale.ROOT, "  %s[%s] %-15s → %-15s %s",
                    r.task().set().equals(LabelledTask.HELD_OUT) ? "h" : " ", r.task().lang(), r.task().expect(),
                    r.got(), abbreviate(r.task().text(), 90)));
            out.println("        " + r.why());
        }
        out.println();
    }

    private static String abbreviate(String text, int max) {
        String one = text.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    /** The jars the model path adds (ONNX runtime, DJL's tokenizer, the model, langchain4j), from the class path. */
    private static String modelJars() {
        long bytes = 0;
        int count = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("onnxruntime") || name.startsWith("langchain4j") || name.startsWith("tokenizers-")
                    || (name.startsWith("api-") && entry.contains("djl"))) {
                try {
                    bytes += Files.size(Path.of(entry));
                    count++;
                } catch (IOException e) {
                    return "model jars: cannot size " + entry + " (" + e.getMessage() + ")";
                }
            }
        }
        return count == 0 ? "model jars not found on the class path"
                : String.format(Locale.ROOT, "model path jars %d MiB (%d jars: ONNX runtime, DJL tokenizer, model, "
                        + "langchain4j)", bytes >> 20, count);
    }

    /** This process's resident set from /proc, or -1 where there is none. */
    private static long residentMiB() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) >> 10).findFirst().orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
