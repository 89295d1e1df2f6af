package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.sandbox.ScriptSplitter;
import dev.backendteam.sandbox.SqlStatement;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Writes a {@link JobReport} in the Markdown format of BRIEF §4. */
public final class ReportRenderer {
    private ReportRenderer() {
    }

    public static String markdown(JobReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Job ").append(r.jobId()).append("\n\n");
        md.append("## Summary\n\n");
        md.append("- **Task:** ").append(oneLine(r.task())).append('\n');
        md.append("- **Status:** ").append(r.status().wire());
        if (r.reason() != null) {
            md.append(" — ").append(oneLine(r.reason()));
        }
        md.append('\n');
        md.append("- **Proven:** ").append(r.proven() ? "yes" : "no").append(" — ").append(r.validationSummary())
                .append('\n');
        md.append("- **Flow:** ").append(r.flow() == null ? "not routed yet" : r.flow()).append('\n');
        md.append("- **Specialists:** ").append(r.specialists().isEmpty() ? "none" : String.join(" → ",
                r.specialists())).append('\n');
        if (r.correlationId() != null) {
            md.append("- **Correlation id:** ").append(r.correlationId()).append('\n');
        }
        if (r.question() != null) {
            md.append("- **Waiting for an answer:** ").append(oneLine(r.question())).append('\n');
        }
        md.append("\n| # | step | status | attempt | time | note |\n|---|---|---|---|---|---|\n");
        for (JobReport.StepReport s : r.steps()) {
            md.append("| ").append(s.seq()).append(" | ").append(s.kind().equals("validate") ? "validate " : "")
                    .append(s.service()).append(s.role() == null ? "" : "(" + s.role() + ")")
                    .append(s.origin().equals("handoff") || s.origin().equals(Step.APPENDED) ? " (" + s.origin() + ")"
                            : "").append(" | ").append(s.status())
                    .append(" | ").append(s.attempt()).append(" | ")
                    .append(s.durationMs() == null ? "" : s.durationMs() + " ms").append(" | ")
                    .append(s.reason() != null ? cell(s.reason()) : s.cause() != null ? cell(s.cause()) : "")
                    .append(" |\n");
        }
        md.append('\n');
        if (r.access() != null) {
            md.append(AccessSection.markdown(r));
        }
        diagnoses(md, r.steps());

        List<Artifact> migrations = r.bundle().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).toList();
        md.append("## Migrations\n\n");
        if (migrations.isEmpty()) {
            md.append("No migrations.\n\n");
        }
        for (Artifact m : migrations) {
            md.append("### `").append(m.name()).append("`\n\n```sql\n").append(m.content().strip()).append("\n```\n\n");
            if (m.down() != null) {
                md.append("Down:\n\n```sql\n").append(m.down().strip()).append("\n```\n\n");
            }
        }
        List<Artifact> functions = r.bundle().stream().filter(a -> a.kind() == ArtifactKind.FILE
                && a.name().startsWith("supabase/functions/")).toList();
        md.append("## Edge Functions\n\n");
        if (functions.isEmpty()) {
            md.append("None.\n\n");
        }
        functions.forEach(f -> file(md, f));
        indexes(md, migrations);
        md.append("## Setup\n\n");
        List<Artifact> files = r.bundle().stream().filter(a -> a.kind() != ArtifactKind.MIGRATION
                && !functions.contains(a)).toList();
        if (files.isEmpty()) {
            md.append("Nothing to set up.\n\n");
        }
        files.forEach(f -> file(md, f));
        md.append("## Notes\n\n");
        boolean any = false;
        for (String note : r.notes()) {
            md.append("- ").append(note).append('\n');
            any = true;
        }
        for (JobReport.StepReport s : r.steps()) {
            for (Finding f : s.findings()) {
                md.append("- **").append(f.severity().wire()).append("** `").append(f.ruleId()).append('`')
                        .append(" (").append(s.service()).append(s.kind().equals("validate") ? ", validation" : "")
                        .append(")").append(f.object() == null ? "" : " on `" + f.object() + "`")
                        .append(f.line() == null ? "" : " line " + f.line()).append(": ").append(prose(f.message()));
                if (f.fix() != null) {
                    md.append(" Fix: ").append(prose(f.fix()));
                }
                md.append('\n');
                any = true;
            }
        }
        if (!any) {
            md.append("None.\n");
        }
        md.append("\n## Validation\n\n").append(r.validationSummary()).append("\n\n");
        for (JobReport.ValidationItem v : r.validation()) {
            md.append("- ").append(switch (v.status()) {
                case PASSED -> "passed";
                case FAILED -> "**failed**";
                case NOT_RUN -> "not run";
            }).append(" — ").append(v.check()).append(" (").append(v.service()).append(", step ").append(v.step());
            if (v.status() != EvidenceStatus.NOT_RUN) {
                md.append(", ").append(v.durationMs()).append(" ms");
            }
            if (v.sandbox() != null) {
                md.append(", ").append(v.sandbox().grants()).append(" grants");
                if (v.sandbox().postgres() != null) {
                    md.append(", PostgreSQL ").append(v.sandbox().postgres());
                }
            }
            md.append(")");
            if (v.details() != null) {
                md.append(": ").append(oneLine(v.details()));
            }
            md.append('\n');
            EvidenceTables.render(v.data()).ifPresent(table -> md.append('\n').append(table).append('\n'));
        }
        modelUsage(md, r);
        return md.toString();
    }

    /**
     * The model calls per step, provider and model, and their total; nothing at all when no model was called (the
     * deterministic path), so such a report says nothing about models.
     */
    private static void modelUsage(StringBuilder md, JobReport r) {
        if (r.usage().calls() == 0) {
            return;
        }
        MarkdownTable table = new MarkdownTable("step", "role", "provider", "model", "calls", "tokens in",
                "tokens out", "latency", "retries", "tool calls");
        if (r.orchestratorUsage() != null) {
            for (UsageSummary.ByModel m : r.orchestratorUsage().byModel()) {
                table.row(usageRow("job", Job.ORCHESTRATOR, m));
            }
        }
        for (JobReport.StepReport s : r.steps()) {
            if (s.usage() == null) {
                continue;
            }
            String role = s.service() + (s.role() == null ? "" : "(" + s.role() + ")");
            for (UsageSummary.ByModel m : s.usage().byModel()) {
                table.row(usageRow(s.seq() + (s.kind().equals("validate") ? " (validate)" : ""), role, m));
            }
        }
        UsageSummary t = r.usage();
        table.row("**total**", "", "", "", String.valueOf(t.calls()), String.valueOf(t.tokensIn()),
                String.valueOf(t.tokensOut()), t.latencyMs() + " ms", String.valueOf(t.retries()),
                String.valueOf(t.toolCalls()));
        md.append("\n## Model usage\n\n").append(table);
        md.append('\n').append(t.tokens()).append(" tokens in all");
        if (t.failedCalls() > 0) {
            md.append("; ").append(t.failedCalls()).append(" of ").append(t.calls()).append(" calls failed");
        }
        md.append(".\n");
    }

    private static List<String> usageRow(String step, String role, UsageSummary.ByModel m) {
        return List.of(step, role, prose(m.provider()), prose(m.model()), String.valueOf(m.calls()),
                String.valueOf(m.tokensIn()), String.valueOf(m.tokensOut()), m.latencyMs() + " ms",
                String.valueOf(m.retries()), String.valueOf(m.toolCalls()));
    }

    private static final Pattern BACKTICKS = Pattern.compile("`+");
    private static final Pattern TAG = Pattern.compile("<(?=[A-Za-z/!?])");

    /** What the debugger or the monitor diagnosed, and whom it handed the fix to; nothing when none diagnosed. */
    private static void diagnoses(StringBuilder md, List<JobReport.StepReport> steps) {
        List<JobReport.StepReport> diagnosing = steps.stream().filter(s -> s.handoff() != null
                && s.handoff().diagnosis() != null).toList();
        if (diagnosing.isEmpty()) {
            return;
        }
        md.append("## Diagnosis\n\n");
        for (JobReport.StepReport s : diagnosing) {
            Handoff h = s.handoff();
            Diagnosis d = h.diagnosis();
            md.append("- **").append(literal(d.rule())).append("** (").append(s.service())
                    .append(s.role() == null ? "" : "(" + s.role() + ")").append(", step ").append(s.seq()).append(')');
            List<String> kind = Stream.of(d.category(), d.layer(), d.severity())
                    .filter(Objects::nonNull).toList();
            if (!kind.isEmpty()) {
                md.append(" — ").append(String.join(" · ", kind));
            }
            md.append(" → handed to ").append(h.service().id()).append(h.role() == null ? "" : "(" + h.role() + ")")
                    .append('\n');
            if (d.object() != null) {
                md.append("  - object: ").append(literal(d.object())).append('\n');
            }
            if (d.sqlstate() != null) {
                md.append("  - SQLSTATE: ").append(literal(d.sqlstate())).append('\n');
            }
            if (d.error() != null) {
                md.append("  - error: ").append(literal(d.error())).append('\n');
            }
            if (d.hasStatement()) {
                md.append("  - statement: ").append(literal(d.statement())).append('\n');
            }
            for (QueryInput q : d.queries()) {
                md.append("  - statement ").append(literal(q.name()))
                        .append(q.frequency() == null ? "" : " (" + q.frequency() + " calls/min)").append(": ")
                        .append(literal(q.sql())).append('\n');
            }
            if (h.reason() != null) {
                md.append("  - why: ").append(prose(h.reason())).append('\n');
            }
        }
        md.append('\n');
    }

    /**
     * Text from a log or a statement as a code span, on one line: nothing in it is read as Markdown or HTML. A text
     * holding backticks gets a longer fence than its longest run of them (CommonMark).
     */
    static String literal(String text) {
        String s = oneLine(text);
        int longest = 0;
        Matcher m = BACKTICKS.matcher(s);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        String fence = "`".repeat(longest + 1);
        return longest == 0 ? fence + s + fence : fence + " " + s + " " + fence;
    }

    /**
     * Every {@code CREATE [UNIQUE] INDEX} statement of the migrations, with its migration. The migration is split
     * the way psql runs it, so that the words in a comment, a string or a function body are not taken for one.
     */
    private static void indexes(StringBuilder md, List<Artifact> migrations) {
        md.append("## Indexes\n\n");
        StringBuilder rows = new StringBuilder();
        for (Artifact m : migrations) {
            for (SqlStatement statement : ScriptSplitter.split(m.content())) {
                if (createsIndex(statement.leadingWords())) {
                    rows.append("| `").append(m.name()).append("` | ").append(code(statement.sql())).append(" |\n");
                }
            }
        }
        if (rows.isEmpty()) {
            md.append("None.\n\n");
        } else {
            md.append("| migration | statement |\n|---|---|\n").append(rows).append('\n');
        }
    }

    private static boolean createsIndex(List<String> words) {
        return words.size() >= 2 && words.get(0).equals("CREATE") && (words.get(1).equals("INDEX")
                || (words.size() >= 3 && words.get(1).equals("UNIQUE") && words.get(2).equals("INDEX")));
    }

    /** A statement as a table cell: on one line, {@code |} escaped, as code (a wider fence if it holds a backtick). */
    private static String code(String sql) {
        String text = cell(sql);
        return text.contains("`") ? "`` " + text + " ``" : "`" + text + "`";
    }

    private static void file(StringBuilder md, Artifact f) {
        md.append("### `").append(f.name()).append("`\n\n```").append(fence(f)).append('\n')
                .append(f.content() == null ? "" : f.content().strip()).append("\n```\n\n");
    }

    private static String fence(Artifact f) {
        return switch (f.kind()) {
            case DIAGRAM -> "mermaid";
            case TYPES -> "ts";
            default -> "";
        };
    }

    /**
     * A specialist's sentence, which may quote a log, on one line with anything that looks like an HTML tag or
     * comment ({@code <script>}, {@code </a>}, {@code <!--}) escaped, so a log cannot put markup in the report;
     * SQL's {@code <>} and {@code a < b} stay as they are.
     */
    static String prose(String s) {
        return TAG.matcher(oneLine(s)).replaceAll("&lt;");
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** A table cell: on one line, {@code |} escaped. */
    static String cell(String s) {
        return oneLine(s).replace("|", "\\|");
    }
}
