package dev.backendteam.security.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.access.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The question that asks the user to confirm a drafted access table, and reading their answer back (specialists are
 * stateless: the answer returns in the job's clarifications with the question it answers). The question shows the
 * draft as a table and as a JSON block. A clarification confirms a draft only when its question is, character for
 * character, the question this step asks for that draft on the schema as it is now (its digest is part of it) and its
 * answer is yes: text elsewhere — a task, a log, another step's question quoting one — cannot pass for it, and a
 * confirmation does not outlive a change of the schema.
 */
public final class AccessConfirmation {
    static final String HEADER = "The security step asks you to confirm the access intent below.";
    private static final String BLOCK = "Access draft of the security step for schema ";

    /** A draft the user confirmed, and the answers they gave to earlier drafts instead of confirming them. */
    public record Answers(Optional<AccessDraft> confirmed, List<String> corrections) {
    }

    private AccessConfirmation() {
    }

    public static String question(AccessDraft draft, DraftCheck check) {
        StringBuilder q = new StringBuilder(HEADER).append('\n');
        q.append("No access intent is declared for ").append(String.join(", ", draft.access().keySet()))
                .append(", so the security step's model drafted who may do what to their rows. Nothing is granted")
                .append(" until you accept it; then the grants and policies are generated from it and proven by the")
                .append(" RLS matrix in the sandbox.\n\n");
        q.append("| table | owner column | select | insert | update | delete |\n|---|---|---|---|---|---|\n");
        draft.access().forEach((table, ops) -> {
            String owner = draft.ownerColumns().get(table);
            q.append("| ").append(table).append(" | ").append(owner == null ? "—" : owner);
            for (Operation op : Operation.values()) {
                List<String> g = ops.getOrDefault(op.wire(), List.of());
                q.append(" | ").append(g.isEmpty() ? "—" : String.join(", ", g));
            }
            q.append(" |\n");
        });
        q.append("\n— = nobody but the service (service_role); owner = the signed-in user in the owner column;")
                .append(" authenticated = any signed-in user; anon = signed-out visitors; parent = whoever may read")
                .append(" the parent row; member = members of the row's tenant.\n\n");
        q.append("Answer yes to accept it or send a corrected spec with an `access` section.\n\n");
        q.append(BLOCK).append(check.digest()).append(":\n```json\n").append(draft.wire()).append("\n```");
        return q.toString();
    }

    /** What the job's clarifications say about this step's drafts, on the schema {@code check} has. */
    public static Answers read(List<Clarification> clarifications, DraftCheck check) {
        Optional<AccessDraft> confirmed = Optional.empty();
        List<String> corrections = new ArrayList<>();
        for (Clarification c : clarifications) {
            if (c.question() == null || !c.question().startsWith(HEADER)) {
                continue;
            }
            Optional<AccessDraft> asked = asked(c.question(), check);
            boolean yes = asked.isPresent() && affirmative(c.answer());
            if (yes) {
                confirmed = asked;
            } else {
                confirmed = Optional.empty();
                if (c.answer() != null && !c.answer().isBlank() && !affirmative(c.answer())) {
                    corrections.add(c.answer());
                }
            }
        }
        return new Answers(confirmed, corrections);
    }

    /** The draft a question of this step asked about, if {@code question} is exactly that question. */
    static Optional<AccessDraft> asked(String question, DraftCheck check) {
        String marker = BLOCK + check.digest() + ":\n```json\n";
        int at = question.lastIndexOf(marker);
        if (at < 0 || !question.endsWith("\n```")) {
            return Optional.empty();
        }
        String json = question.substring(at + marker.length(), question.length() - "\n```".length());
        AccessDraft draft;
        try {
            draft = AccessDraft.read(Json.events().readTree(json));
        } catch (AccessDraft.Unreadable | java.io.IOException e) {
            return Optional.empty();
        }
        return question(draft, check).equals(question) ? Optional.of(draft) : Optional.empty();
    }

    static boolean affirmative(String answer) {
        if (answer == null) {
            return false;
        }
        String a = answer.strip().toLowerCase(Locale.ROOT).replaceAll("[.!]+$", "");
        return a.equals("yes") || a.equals("y");
    }

    /** The JSON block's content for a delivered file: the draft and where it came from. */
    static String file(AccessDraft draft, String source) {
        return Json.write(Json.events().createObjectNode().put("source", source).setAll(draft.toJson())) + "\n";
    }

    /** Reads a delivered file back; empty when it is not one. */
    static Optional<AccessDraft> fromFile(String content) {
        try {
            JsonNode node = Json.events().readTree(content == null ? "" : content);
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            ((ObjectNode) node).remove("source");
            return Optional.of(AccessDraft.read(node));
        } catch (AccessDraft.Unreadable | java.io.IOException e) {
            return Optional.empty();
        }
    }
}
