package dev.backendteam.ops.debugger;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One catalogued error (a rule of {@code debugger-patterns.yaml}): how to recognise it, how it is classified, what
 * caused it, how to fix and verify it, and who owns the fix. Texts may say {@code {object}} or
 * {@code {object:words when it names nothing}}.
 */
public record LogRule(String id, String family, String sqlstate, boolean bareCode, Classification classification,
        Owner owner, boolean wrapper, List<String> supersedes, String summary, String rootCause, Remedy fix,
        String verify, List<Pattern> patterns) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{object(?::([^}]*))?}");

    public LogRule {
        supersedes = List.copyOf(supersedes);
        patterns = List.copyOf(patterns);
    }

    /** The immediate, the proper and the preventive fix. */
    public record Remedy(String immediate, String proper, String preventive) {
    }

    /** {@code template} with {@code {object}} replaced by the object, or by its default words when there is none. */
    public static String fill(String template, String object) {
        if (template == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String words = object != null ? object : m.group(1) != null ? m.group(1) : "the object";
            m.appendReplacement(out, Matcher.quoteReplacement(words));
        }
        return m.appendTail(out).toString();
    }
}
