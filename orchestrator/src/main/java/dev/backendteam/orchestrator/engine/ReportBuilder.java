package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.TaskKind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds a job's report from its steps and artifacts. Migrations are numbered {@code 001…} here, in step order
 * (specialists name them by purpose only).
 */
public final class ReportBuilder {

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
                    s.reason, findings, evidence));
            for (Evidence e : evidence) {
                validation.add(new JobReport.ValidationItem(s.seq, s.service.id(), s.roleId(), s.kind.wire(),
                        e.check(), e.status(), e.passed(), e.details(), e.durationMs(), e.sandbox(), e.data()));
            }
            if (s.kind == TaskKind.VALIDATE) {
                validationRan = true;
            }
            if (s.status == StepStatus.SKIPPED) {
                notes.add("Step " + s.seq + " (" + s.label() + ") was not run: " + s.reason + ".");
            }
            if (s.retries > 0) {
                notes.add("Step " + s.seq + " (" + s.label() + ") was retried " + s.retries + " time(s).");
            }
        }
        job.inputs.clarifications().forEach(c -> notes.add("Asked: " + c.question() + " — answered: " + c.answer()));
        List<Artifact> bundle = numbered(job.artifactList());
        List<String> downs = bundle.stream().filter(a -> a.kind() == ArtifactKind.MIGRATION && a.down() != null)
                .map(Artifact::name).toList();
        if (!downs.isEmpty()) {
            List<String> reversed = new ArrayList<>(downs);
            java.util.Collections.reverse(reversed);
            notes.add("Rollback: apply the down scripts in reverse order: " + String.join(", ", reversed) + ".");
        }
        String summary = validationSummary(job, validationRan);
        return new JobReport(job.id.toString(), job.status, job.proven(), job.flow, job.task, job.correlationId,
                job.reason, job.question, job.createdAt, job.finishedAt, List.copyOf(specialists), steps, bundle,
                notes, validation, summary);
    }

    /** What the validation round proved, counted by status: only checks that ran and passed prove anything. */
    private static String validationSummary(Job job, boolean validationRan) {
        if (!validationRan) {
            return "The validation round has not run" + (job.status.terminal() ? "; nothing was validated." : " yet.");
        }
        List<Evidence> checks = job.validationEvidence();
        long passed = checks.stream().filter(Evidence::passed).count();
        long failed = checks.stream().filter(Evidence::failed).count();
        long notRun = checks.stream().filter(e -> !e.ran()).count();
        String counts = passed + " passed, " + failed + " failed, " + notRun + " not run";
        if (passed == 0) {
            return "The validation round passed no check (" + counts + "): nothing in this job is proven.";
        }
        return "Validation round: " + counts + (job.proven() ? "; the job is proven." : ".");
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
