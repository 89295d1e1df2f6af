package dev.backendteam.orchestrator.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Matches a task's words against example phrasings of each flow ({@code flow-examples.yaml}) when the keywords leave
 * the routing unclear. Implementations may be absent from a build (the embedding model is an optional profile), so
 * they are found by {@link ServiceLoader} through a {@link Provider}.
 */
public interface TaskMatcher {

    /**
     * The flow whose examples are nearest to the text.
     *
     * @param similarity how near the nearest example of that flow is (cosine, 1 = same meaning)
     * @param margin     how much nearer than the nearest example of any other flow
     * @param example    that nearest example, to show the user why
     */
    record Match(String flow, double similarity, double margin, String example) {
    }

    /**
     * When a match is strong enough to route on. Chosen for all-MiniLM-L6-v2 on deploy/bench's labelled tasks
     * (RoutingAccuracy prints the grid), counting a misrouted task as bad as two questions asked: the similarity
     * barely matters between 0.25 and 0.35 (related phrasings score 0.3–0.5 with this model), the margin does —
     * below 0.06 the nearest flow is as often wrong as right. Measured again on the 8-bit quantized model (issue 13):
     * the same 164 of 222 tasks correct (43 of 64 held-out instead of 42), 43 asked and 15 misrouted instead of 45 and
     * 13, and this is still the cell with the fewest questions plus twice the misroutes.
     */
    record Thresholds(double minSimilarity, double minMargin) {
        public static final Thresholds DEFAULTS = new Thresholds(0.30, 0.06);

        public boolean strong(Match match) {
            return match.similarity() >= minSimilarity && match.margin() >= minMargin;
        }
    }

    /** The nearest flow, or empty when the text is near no example at all (e.g. empty text). */
    Optional<Match> match(String text);

    /** What the matcher is, for the start-up log and the benchmark: model, examples. */
    String describe();

    /** The matcher cannot answer (its model did not load); the task stays unclear and the reason says so. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Creates a matcher of one kind; listed in {@code META-INF/services} by the build that carries it. */
    interface Provider {
        /** Short name for logs, e.g. {@code embeddings}. */
        String name();

        /**
         * @param workDirectory where the matcher may keep files (a model unpacked, native libraries)
         * @param keepAlive     how long a model no task needed is held before its memory is released
         */
        TaskMatcher create(FlowExamples examples, Path workDirectory, Duration keepAlive);

        /** The providers this build carries, in class-path order. */
        static List<Provider> installed() {
            return ServiceLoader.load(Provider.class, Provider.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).toList();
        }
    }
}
