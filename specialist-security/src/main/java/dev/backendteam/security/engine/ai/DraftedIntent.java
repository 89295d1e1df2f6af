package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop.Problem;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The access intent of tables nobody declared one for, when a model is configured (issue 11). The model drafts it
 * ({@link AccessDrafter}); the first accepted draft is the intent, used as the matrix's expected verdicts only once the
 * user confirmed it ({@link AccessConfirmation}), unless {@code backend-team.security.confirm-drafted-access} is
 * false, in which case it is used as drafted and labelled so. Without a model and without a confirmed draft nothing
 * changes: the engine's inference stands, stated as assumptions.
 */
public final class DraftedIntent {
    /** The delivered record of a drafted intent, read back by the validation round. */
    public static final String PATH = "supabase/security/access.json";
    public static final String CONFIRMED = "drafted by the model, confirmed by the user";
    public static final String UNCONFIRMED = "drafted by the model, not confirmed by the user"
            + " (backend-team.security.confirm-drafted-access=false)";
    static final String DRAFTED_RULE = "security.access-drafted";
    static final String DRAFT_RULE = "security.access-draft";

    /**
     * What to work with: the intent (the resolved one when nothing was drafted), notes and the file to deliver, or
     * an outcome that ends the step (a question, or a draft that was not accepted).
     */
    public record Decision(AccessIntent intent, List<Finding> findings, Artifact artifact, StepOutcome stop) {
        static Decision unchanged(AccessIntent intent) {
            return new Decision(intent, List.of(), null, null);
        }

        static Decision stop(StepOutcome outcome) {
            return new Decision(null, List.of(), null, outcome);
        }
    }

    private final Optional<AccessDrafter> drafter;
    private final boolean confirm;

    /** @param confirm whether a drafted intent waits for the user's confirmation before it is used */
    public DraftedIntent(Optional<ModelSession> model, boolean confirm) {
        this.drafter = model.map(AccessDrafter::new);
        this.confirm = confirm;
    }

    /** No model: the deterministic path. */
    public static DraftedIntent none() {
        return new DraftedIntent(Optional.empty(), true);
    }

    /**
     * The work step's intent. {@code tables}: the job's tables (the matrix's); {@code trial}: runs the matrix of an
     * intent in a sandbox database of its own, for the model's {@code run_matrix} tool.
     */
    public Decision work(TaskEvent task, AccessIntent resolved, SchemaCatalog catalog, Set<String> tables,
            MatrixTrial trial) {
        Set<String> undeclared = DraftCheck.undeclared(resolved, tables);
        if (undeclared.isEmpty()) {
            return Decision.unchanged(resolved);
        }
        DraftCheck check = new DraftCheck(resolved, catalog, undeclared);
        AccessConfirmation.Answers answers = AccessConfirmation.read(task.inputs().clarifications(), check);
        Optional<AccessDraft> confirmed = answers.confirmed().filter(d -> check.problems(d).isEmpty());
        if (confirmed.isPresent()) {
            return use(check, confirmed.get(), CONFIRMED, "the access intent of " + tables(confirmed.get())
                    + " was drafted by the model and confirmed by the user (answer yes to the security step's"
                    + " question): the matrix proves the policies do what was confirmed");
        }
        if (drafter.isEmpty()) {
            return Decision.unchanged(resolved);
        }
        AccessDrafter.Result r = drafter.get().draft(task.task(), answers.corrections(), check, tables, trial);
        if (!r.accepted()) {
            List<Finding> findings = new ArrayList<>();
            for (Problem p : r.problems()) {
                findings.add(new Finding(DRAFT_RULE, Severity.ERROR, p.object(), p.code() + ": " + p.message(), null,
                        null));
            }
            String reason = r.status() == AccessDrafter.Status.REFUSED ? r.reason() + "; the draft is not delivered"
                    : "the model's access draft was not accepted: " + r.reason();
            return Decision.stop(StepOutcome.failed(FailureKind.PROOF_FAILED, reason, findings));
        }
        AccessDraft draft = r.draft();
        if (confirm) {
            return Decision.stop(StepOutcome.needsInput(AccessConfirmation.question(draft, check), List.of(
                    Finding.info(DRAFTED_RULE, tables(draft), "no access intent is declared for " + tables(draft)
                            + ": the model (" + drafter.get().model() + ") drafted one in " + r.attempts()
                            + (r.attempts() == 1 ? " draft" : " drafts") + "; it is used once the user confirms"
                            + " it"))));
        }
        return use(check, draft, UNCONFIRMED, "the access intent of " + tables(draft) + " was drafted by the model ("
                + drafter.get().model() + ") and is used without the user's confirmation, as"
                + " backend-team.security.confirm-drafted-access=false says: the matrix proves the policies do what"
                + " the model drafted, not that it is what the user meant");
    }

    /**
     * The validation round's intent: the confirmed draft, or with confirmation off the one the work step delivered;
     * else the resolved intent, and a replay whose policies came from a draft no longer matches it.
     */
    public Decision validate(TaskEvent task, AccessIntent resolved, SchemaCatalog catalog, Set<String> tables) {
        Set<String> undeclared = DraftCheck.undeclared(resolved, tables);
        if (undeclared.isEmpty()) {
            return Decision.unchanged(resolved);
        }
        DraftCheck check = new DraftCheck(resolved, catalog, undeclared);
        Optional<AccessDraft> confirmed = AccessConfirmation.read(task.inputs().clarifications(), check).confirmed()
                .filter(d -> check.problems(d).isEmpty());
        if (confirmed.isPresent()) {
            return new Decision(check.intent(confirmed.get(), CONFIRMED), List.of(), null, null);
        }
        if (!confirm) {
            Optional<AccessDraft> delivered = task.artifacts().stream()
                    .filter(a -> PATH.equals(a.name()) && Specialist.SECURITY.id().equals(a.producedBy()))
                    .reduce((a, b) -> b).flatMap(a -> AccessConfirmation.fromFile(a.content()))
                    .filter(d -> check.problems(d).isEmpty());
            if (delivered.isPresent()) {
                return new Decision(check.intent(delivered.get(), UNCONFIRMED), List.of(), null, null);
            }
        }
        return Decision.unchanged(resolved);
    }

    private static Decision use(DraftCheck check, AccessDraft draft, String source, String note) {
        return new Decision(check.intent(draft, source), List.of(Finding.info(DRAFTED_RULE, tables(draft), note)),
                Artifact.file(PATH, AccessConfirmation.file(draft, source), Specialist.SECURITY), null);
    }

    private static String tables(AccessDraft draft) {
        return String.join(", ", draft.access().keySet());
    }
}
