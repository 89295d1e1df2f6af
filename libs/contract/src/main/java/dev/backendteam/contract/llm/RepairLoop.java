package dev.backendteam.contract.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Draft, check, repair (BRIEF §6a): a model's draft is checked by the engines and the sandbox; its problems go back to
 * the model at most {@code maxRepairs} times, then the step fails with the reasons. The loop breaker stops at once when
 * a draft has the same problem (code — a SQLSTATE or rule id — and object) as the draft before it: a model that repeats
 * its error is not going to stop repeating it.
 */
public final class RepairLoop {
    public static final int MAX_REPAIRS = 2;

    /** One thing wrong with a draft: a SQLSTATE or rule id, the object it concerns, and the message the model reads. */
    public record Problem(String code, String object, String message) {
        public String key() {
            return code + "|" + (object == null ? "" : object);
        }

        @Override
        public String toString() {
            return code + (object == null ? "" : " on " + object) + ": " + message;
        }
    }

    /** Drafts (problems empty) or repairs (problems of the last draft) one value. */
    public interface Drafter<T> {
        T draft(T previous, List<Problem> problems);
    }

    /** Checks a draft; an empty list accepts it. */
    public interface Check<T> {
        List<Problem> problems(T draft);
    }

    public enum Stop {
        ACCEPTED, REPAIRS_EXHAUSTED, SAME_ERROR_REPEATED
    }

    /**
     * @param value    the accepted draft, or the last one
     * @param attempts drafts made, the first included
     * @param problems the problems of each draft, in order (the accepted one's is empty)
     */
    public record Outcome<T>(Stop stop, T value, int attempts, List<List<Problem>> problems) {
        public boolean accepted() {
            return stop == Stop.ACCEPTED;
        }

        public List<Problem> lastProblems() {
            return problems.isEmpty() ? List.of() : problems.get(problems.size() - 1);
        }

        /**
         * The last draft's problems as error findings ({@code model.same-error-repeated} when the loop breaker stopped
         * it, else {@code model.draft-rejected}); {@code instead} says what the user can send in the model's place.
         */
        public List<dev.backendteam.contract.Finding> findings(String instead) {
            boolean repeated = stop == Stop.SAME_ERROR_REPEATED;
            String rule = repeated ? "model.same-error-repeated" : "model.draft-rejected";
            String fix = (repeated ? "The model repeated this error after being told of it. " : "") + "Send "
                    + instead + " yourself, or try another model.";
            return lastProblems().stream().map(p -> new dev.backendteam.contract.Finding(rule,
                    dev.backendteam.contract.Severity.ERROR, p.object(), p.code() + ": " + p.message(), fix, null))
                    .toList();
        }

        /** Why the loop stopped without an accepted draft, for the step's reason. */
        public String reason() {
            String last = lastProblems().stream().map(Problem::toString).collect(Collectors.joining("; "));
            return switch (stop) {
                case ACCEPTED -> "accepted after " + attempts + (attempts == 1 ? " draft" : " drafts");
                case REPAIRS_EXHAUSTED -> "the model's draft still failed after " + (attempts - 1)
                        + " repairs: " + last;
                case SAME_ERROR_REPEATED -> "loop breaker: the model's repair repeated the same error, so the repair"
                        + " stopped after " + attempts + " drafts: " + last;
            };
        }
    }

    private RepairLoop() {
    }

    public static <T> Outcome<T> run(Drafter<T> drafter, Check<T> check, int maxRepairs) {
        List<List<Problem>> history = new ArrayList<>();
        T draft = drafter.draft(null, List.of());
        for (int attempt = 1; ; attempt++) {
            List<Problem> problems = List.copyOf(check.problems(draft));
            history.add(problems);
            if (problems.isEmpty()) {
                return new Outcome<>(Stop.ACCEPTED, draft, attempt, history);
            }
            if (history.size() >= 2 && repeats(history.get(history.size() - 2), problems)) {
                return new Outcome<>(Stop.SAME_ERROR_REPEATED, draft, attempt, history);
            }
            if (attempt > maxRepairs) {
                return new Outcome<>(Stop.REPAIRS_EXHAUSTED, draft, attempt, history);
            }
            draft = drafter.draft(draft, problems);
        }
    }

    private static boolean repeats(List<Problem> before, List<Problem> now) {
        Set<String> earlier = before.stream().map(Problem::key).collect(Collectors.toSet());
        return now.stream().map(Problem::key).anyMatch(earlier::contains);
    }
}
