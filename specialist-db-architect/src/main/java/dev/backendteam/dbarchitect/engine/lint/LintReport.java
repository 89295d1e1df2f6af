package dev.backendteam.dbarchitect.engine.lint;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The findings of one lint run, each with the script it is about ({@code sources}, parallel to {@code findings}:
 * the migration's name, or the baseline's, for its down script too). {@code rejected} is true when a finding's rule
 * refuses the input (it cannot be parsed, or it reaches outside its database).
 */
public record LintReport(List<Finding> findings, List<String> sources, boolean rejected, int scripts,
        int statements) {

    public LintReport {
        findings = List.copyOf(findings);
        sources = List.copyOf(sources);
        if (findings.size() != sources.size()) {
            throw new IllegalArgumentException("one source per finding");
        }
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    /** The findings about these scripts only. */
    public List<Finding> about(Collection<String> names) {
        return select(names, true);
    }

    /** The findings about every script but these. */
    public List<Finding> except(Collection<String> names) {
        return select(names, false);
    }

    private List<Finding> select(Collection<String> names, boolean about) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            if (names.contains(sources.get(i)) == about) {
                out.add(findings.get(i));
            }
        }
        return out;
    }

    public static List<Finding> errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /** "3 errors, 1 warning". */
    public static String tally(List<Finding> findings) {
        long e = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        long w = findings.stream().filter(f -> f.severity() == Severity.WARN).count();
        return e + (e == 1 ? " error, " : " errors, ") + w + (w == 1 ? " warning" : " warnings");
    }

    public String tally() {
        return tally(findings);
    }
}
