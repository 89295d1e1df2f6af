package dev.backendteam.ops.debugger.ai;

import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.ops.debugger.DebuggerPatterns;
import dev.backendteam.ops.debugger.LogText;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's check of a model's classification against the catalogue and the log: the rule must be one of the
 * catalogue's; the error, the object and the statement must each stand in the log (white space and a JSON log's
 * escaped quotes aside: the model copies, it does not invent), and the error on a line that reads as one (the
 * catalogue's {@code errorLines}). {@link #locate} finds where, so that the engine reads the SQLSTATE, the detail and
 * the hint from the log itself and delivers the log's own text.
 */
public final class ClassificationCheck {
    public static final String UNKNOWN_RULE = "classification.unknown-rule";
    public static final String NOT_IN_LOG = "classification.not-in-log";
    public static final String NOT_AN_ERROR = "classification.not-an-error-line";
    public static final String SQLSTATE_MISMATCH = "classification.sqlstate-mismatch";
    public static final String NOT_A_NAME = "classification.object-not-a-name";
    private static final int MAX_OBJECT = 120;
    /** A SQLSTATE as logs print it: after "SQLSTATE"/"code", or in PostgreSQL's verbose "ERROR:  42P01:" form. */
    private static final Pattern LOGGED_SQLSTATE = Pattern.compile(
            "(?i)(?:sql\\s?state|error\\s?code)\\W{0,3}([0-9A-Z]{5})(?![0-9A-Za-z])|ERROR:\\s+([0-9A-Z]{5}):");

    /** Where a quote stands in the scanned log: [start, end) offsets of {@link LogText#text()}. */
    public record Span(int start, int end) {
    }

    private final DebuggerPatterns patterns;
    private final LogText log;

    public ClassificationCheck(DebuggerPatterns patterns, LogText log) {
        this.patterns = patterns;
        this.log = log;
    }

    public List<RepairLoop.Problem> problems(ModelClassification c) {
        List<RepairLoop.Problem> problems = new ArrayList<>();
        if (!c.classified()) {
            return problems;
        }
        if (patterns.rule(c.rule()).isEmpty()) {
            problems.add(new RepairLoop.Problem(UNKNOWN_RULE, bounded(c.rule()), "there is no rule '" + bounded(c.rule())
                    + "' in the catalogue: pick one of the rules listed, or answer with \"rule\": null"));
        }
        if (c.error() != null) {
            Optional<Span> at = locate(c.error());
            if (at.isEmpty()) {
                problems.add(notInLog("error", c.error()));
            } else if (!patterns.readsAsError(line(at.get().start()))) {
                problems.add(new RepairLoop.Problem(NOT_AN_ERROR, bounded(c.error()), "the line of the log that holds"
                        + " \"" + bounded(c.error()) + "\" does not read as an error (it names no error, failure,"
                        + " exception, exit code or status): quote the line that shows the failure"));
            } else {
                // the log's own SQLSTATE decides: a rule for another code is a misreading (or a steered one)
                Matcher code = LOGGED_SQLSTATE.matcher(line(at.get().start()));
                String logged = code.find() ? (code.group(1) != null ? code.group(1) : code.group(2)) : null;
                String ruled = patterns.rule(c.rule()).map(r -> r.sqlstate()).orElse(null);
                if (logged != null && ruled != null && !logged.equalsIgnoreCase(ruled)) {
                    problems.add(new RepairLoop.Problem(SQLSTATE_MISMATCH, c.rule(), "the log's error has SQLSTATE "
                            + logged + ", but rule " + c.rule() + " is for " + ruled + ": pick the rule for " + logged
                            + ", or answer with \"rule\": null"));
                }
            }
        }
        if (c.object() != null && (c.object().strip().length() > MAX_OBJECT || c.object().strip().isEmpty()
                || c.object().strip().matches("(?s).*\\s.*"))) {
            problems.add(new RepairLoop.Problem(NOT_A_NAME, bounded(c.object()), "the object is one name (a table, a"
                    + " column, a file, a variable) of at most " + MAX_OBJECT + " characters, without spaces"));
        } else if (c.object() != null && locate(c.object()).isEmpty()) {
            problems.add(notInLog("object", c.object()));
        }
        if (c.statement() != null && locate(c.statement()).isEmpty()) {
            problems.add(notInLog("statement", c.statement()));
        }
        return problems;
    }

    /** The first place {@code quote} stands in the log, case and runs of white space aside. */
    public Optional<Span> locate(String quote) {
        String[] words = quote.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return Optional.empty();
        }
        StringBuilder regex = new StringBuilder();
        for (String word : words) {
            if (!regex.isEmpty()) {
                regex.append("\\s+");
            }
            for (int i = 0; i < word.length(); i++) {
                char ch = word.charAt(i);
                // a JSON log escapes its quotes: \" in the log is the model's "
                regex.append(ch == '"' ? "\\\\?\"" : Pattern.quote(String.valueOf(ch)));
            }
        }
        Matcher m = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(log.text());
        return m.find() ? Optional.of(new Span(m.start(), m.end())) : Optional.empty();
    }

    /** The line of the scanned log that holds {@code offset}. */
    public String line(int offset) {
        String text = log.text();
        int start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
        int end = text.indexOf('\n', offset);
        return text.substring(offset == 0 ? 0 : start, end < 0 ? text.length() : end);
    }

    private static RepairLoop.Problem notInLog(String field, String quote) {
        return new RepairLoop.Problem(NOT_IN_LOG, bounded(quote), "the " + field + " \"" + bounded(quote) + "\" is not"
                + " in the log: copy it from the log exactly, or leave it out");
    }

    private static String bounded(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= MAX_OBJECT ? one : one.substring(0, MAX_OBJECT) + "…";
    }
}
