package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.evidence.EvidenceKind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a job's report from its steps and artifacts. Migrations are numbered {@code 001…} here, in step order
 * (specialists name them by purpose only), and the bundle is chosen here: an artifact whose name would land
 * outside it is left out, with a note.
 */
public final class ReportBuilder {
    private static final int QUOTED_MAX_CHARS = 120;

    public JobReport build(Job job) {
        Set<String> specialists = new LinkedHashSet<>();
        List<JobReport.StepReport> steps = new ArrayList<>();
        List<JobReport.ValidationItem> validation = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean validationRan = false;
        for (Step s : job.steps) {
            if (s.status != StepStatus.SKIPPED) {
                specialists.add(s.label());
            }
            List<Finding> findings = s.result == null ? List.of() : s.result.findings();
            List<Evidence> evidence = s.result == null ? List.of() : s.result.evidence();
            steps.add(new JobReport.StepReport(s.seq, s.kind.wire(), s.service.id(), s.role, s.origin,
                    s.status.wire(), s.attempt, s.retries, s.status == StepStatus.SKIPPED ? null : s.durationMs(),
                    s.reason, s.cause, findings, evidence, s.result == null ? null : s.result.handoff(),
                    UsageSummary.ofAny(s.usage), s.usage.isEmpty() ? null : s.usage.calls()));
            for (Evidence e : evidence) {
                validation.add(new JobReport.ValidationItem(s.seq, s.service.id(), s.roleId(), s.kind.wire(),
                        e.check(), e.status(), e.passed(), e.details(), e.durationMs(), e.sandbox(), e.data()));
            }
            if (s.kind == TaskKind.VALIDATE) {
                validationRan = true;
            }
            if (s.cause != null) {
                notes.add("Step " + s.seq + " (" + s.label() + ") was appended by the orchestrator: " + s.cause + ".");
            }
            if (s.status == StepStatus.SKIPPED) {
                notes.add("Step " + s.seq + " (" + s.label() + ") was not run: " + s.reason + ".");
            }
            if (s.retries > 0) {
                notes.add("Step " + s.seq + " (" + s.label() + ") was retried " + s.retries + " time(s).");
            }
        }
        job.inputs.clarifications().forEach(c -> notes.add("Asked: " + c.question() + " — answered: " + c.answer()));
        List<Artifact> bundle = deliverable(job.artifactList(), notes);
        List<String> downs = bundle.stream().filter(a -> a.kind() == ArtifactKind.MIGRATION && a.down() != null)
                .map(Artifact::name).toList();
        if (!downs.isEmpty()) {
            List<String> reversed = new ArrayList<>(downs);
            java.util.Collections.reverse(reversed);
            notes.add("Rollback: apply the down scripts in reverse order: " + String.join(", ", reversed) + ".");
        }
        String summary = validationSummary(job, validationRan);
        return new JobReport(job.id.toString(), job.status, job.proven(), job.flow, job.task, job.correlationId,
                job.reason, job.question, job.createdAt, job.finishedAt, List.copyOf(specialists), steps, access(job),
                bundle, notes, validation, summary, UsageSummary.of(job.usage()),
                UsageSummary.ofAny(job.orchestratorUsage));
    }

    /**
     * The latest access intent a step stated (the security step's, or the validation round's when it ran later), or
     * null when none did. Evidence whose data does not fit the kind's shape is passed over.
     */
    private static JobReport.Access access(Job job) {
        JobReport.Access latest = null;
        for (Step s : job.steps) {
            if (s.result == null) {
                continue;
            }
            for (Evidence e : s.result.evidence()) {
                Optional<AccessIntent> intent = EvidenceKind.read(e.data(), AccessIntent.class);
                if (intent.isPresent()) {
                    latest = new JobReport.Access(s.seq, s.kind.wire(), intent.get());
                }
            }
        }
        return latest;
    }

    /** What the validation round proved, counted by status: only checks that ran and passed prove anything. */
    private static String validationSummary(Job job, boolean validationRan) {
        if (!validationRan) {
            return "The validation round has not run" + (job.status.terminal() ? "; nothing was validated." : " yet.");
        }
        Job.Tally checks = job.validationTally();
        if (checks.passed() == 0) {
            return "The validation round passed no check (" + checks.describe() + "): nothing in this job is proven.";
        }
        return "Validation round: " + checks.describe() + (job.proven() ? "; the job is proven." : ".");
    }

    /**
     * The bundle: the artifacts, numbered, without those whose names would land outside the bundle's folder (a
     * specialist's output is not trusted to be safe); each one left out gets a note with its name, producer and
     * why. A file, type or diagram that a later step delivers again under the same kind and name (api-data extends
     * db-architect's {@code database.types.ts} with its views and functions) supersedes the earlier one, with a note.
     * The rest are numbered again, so that the delivered migrations have no gaps.
     */
    static List<Artifact> deliverable(List<Artifact> artifacts, List<String> notes) {
        List<Artifact> numbered = numbered(artifacts);
        List<Artifact> kept = new ArrayList<>();
        for (int i = 0; i < artifacts.size(); i++) {
            Artifact given = artifacts.get(i);
            Optional<String> refusal = BundleWriter.refusal(numbered.get(i));
            if (refusal.isPresent()) {
                notes.add("Left out of the bundle: " + (given.kind() == null ? "an artifact" : given.kind().wire())
                        + " " + quoted(given.name()) + " from " + producer(given) + ", because " + refusal.get() + ".");
            } else {
                kept.add(given);
            }
        }
        List<Artifact> latest = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            Artifact a = kept.get(i);
            Optional<Artifact> later = a.kind() == ArtifactKind.MIGRATION ? Optional.empty()
                    : kept.subList(i + 1, kept.size()).stream()
                            .filter(b -> b.kind() == a.kind() && a.name().equals(b.name())).findFirst();
            if (later.isPresent()) {
                notes.add("The " + a.kind().wire() + " " + quoted(a.name()) + " from " + producer(a)
                        + " is superseded in the bundle by the one " + producer(later.get()) + " delivered later.");
            } else {
                latest.add(a);
            }
        }
        return numbered(latest);
    }

    private static String producer(Artifact a) {
        return a.producedBy() == null ? "an unnamed producer" : a.producedBy();
    }

    /** A name as the report can show it: control characters and backticks escaped, long names shortened. */
    private static String quoted(String name) {
        if (name == null) {
            return "(unnamed)";
        }
        StringBuilder out = new StringBuilder("`");
        name.codePoints().limit(QUOTED_MAX_CHARS).forEach(c -> {
            if (Character.isISOControl(c) || c == '`') {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(name.codePointCount(0, name.length()) > QUOTED_MAX_CHARS ? "…`" : "`").toString();
    }

    /** Migrations become {@code NNN_purpose.sql}; other artifacts keep their names. */
    static List<Artifact> numbered(List<Artifact> artifacts) {
        List<Artifact> out = new ArrayList<>();
        int n = 0;
        for (Artifact a : artifacts) {
            if (a.kind() == ArtifactKind.MIGRATION) {
                n++;
                out.add(new Artifact(a.kind(), String.format(Locale.ROOT, "%03d_%s.sql", n, purpose(a.name())),
                        a.content(), a.down(), a.producedBy()));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    static String purpose(String name) {
        String base = name == null ? "migration" : name.replaceAll("(?i)\\.sql$", "").replaceAll("^\\d+_", "");
        String snake = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return snake.isEmpty() ? "migration" : snake;
    }

}
