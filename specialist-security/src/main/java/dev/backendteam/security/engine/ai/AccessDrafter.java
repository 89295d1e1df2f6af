package dev.backendteam.security.engine.ai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.RepairLoop.Problem;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security role's AI service (issue 11): when no intent is declared, a model drafts the access table (structured
 * data, never SQL) from the task text and the schema's catalog, with the role's engine calls as its only tools
 * ({@link AccessTools}). The draft is checked ({@link DraftCheck}); its problems go back to the model at most
 * {@link RepairLoop#MAX_REPAIRS} times, the loop breaker stopping at once on a repeated problem, and a repair that
 * widens any matrix cell or changes what no problem named is refused ({@link RepairGuard}). Retries, accounting and
 * the token budget are the {@link ModelSession}'s.
 */
public final class AccessDrafter {
    static final String DRAFT = "security: draft the access intent";
    static final String REPAIR = "security: repair the access draft";
    private static final String SYSTEM = resource("access-draft-system.md");
    private static final String USER = resource("access-draft-user.md");
    private static final String CORRECTIONS = resource("access-draft-corrections.md");
    private static final String REPAIR_TURN = resource("access-draft-repair.md");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+)}}");

    public enum Status {
        ACCEPTED, NOT_ACCEPTED, REFUSED
    }

    /**
     * @param draft    the accepted draft (normalized), or the last one
     * @param reason   why no draft was accepted; null when one was
     * @param problems the last draft's problems
     * @param attempts drafts the model made
     */
    public record Result(Status status, AccessDraft draft, String reason, List<Problem> problems, int attempts) {
        public boolean accepted() {
            return status == Status.ACCEPTED;
        }
    }

    private final ModelSession session;

    public AccessDrafter(ModelSession session) {
        this.session = session;
    }

    /** Which provider and model drafted, for the evidence. */
    public String model() {
        return session.provider() + " " + session.modelName();
    }

    /**
     * Drafts the access of {@code check}'s tables.
     *
     * @param task        the job's task text (data: fenced)
     * @param corrections what the user answered to earlier drafts instead of accepting them (data: fenced)
     * @param matrixTables the qualified tables the RLS matrix covers
     */
    public Result draft(String task, List<String> corrections, DraftCheck check, Set<String> matrixTables,
            MatrixTrial trial) {
        List<ModelTool> tools = new AccessTools(check, trial).all();
        Conversation c = new Conversation(check, new RepairGuard(check, matrixTables), tools, userTurn(task,
                corrections, check));
        RepairLoop.Outcome<Turn> outcome;
        try {
            outcome = RepairLoop.run(c::turn, t -> t.draft() == null ? List.of(new Problem(DraftCheck.UNREADABLE,
                    null, t.unreadable())) : check.problems(t.draft()), RepairLoop.MAX_REPAIRS);
        } catch (Refused r) {
            return new Result(Status.REFUSED, r.repair, r.getMessage(), List.of(), c.turns);
        }
        AccessDraft last = outcome.value().draft();
        return outcome.accepted() ? new Result(Status.ACCEPTED, last, null, List.of(), outcome.attempts())
                : new Result(Status.NOT_ACCEPTED, last, outcome.reason(), outcome.lastProblems(), outcome.attempts());
    }

    /** One draft: read, or why it could not be. */
    record Turn(AccessDraft draft, String unreadable) {
    }

    /** The conversation across the draft and its repairs: each repair continues the transcript. */
    private final class Conversation {
        private final DraftCheck check;
        private final RepairGuard guard;
        private final List<ModelTool> tools;
        private final String user;
        private List<ChatMessage> transcript;
        private AccessDraft lastRead;
        /** The problems the checks reported for {@link #lastRead}: what a repair of it may change. */
        private List<Problem> lastReadProblems = List.of();
        private int turns;

        Conversation(DraftCheck check, RepairGuard guard, List<ModelTool> tools, String user) {
            this.check = check;
            this.guard = guard;
            this.tools = tools;
            this.user = user;
        }

        Turn turn(Turn previous, List<Problem> problems) {
            if (previous != null && previous.draft() != null) {
                lastReadProblems = problems;
            }
            ModelSession.Reply reply;
            if (previous == null) {
                reply = session.converse(DRAFT, fill(SYSTEM, Map.of("untrusted", Untrusted.RULE)), user, tools,
                        session.jsonFormat());
            } else {
                List<ChatMessage> history = new ArrayList<>(transcript);
                history.add(UserMessage.from(fill(REPAIR_TURN, Map.of("problems",
                        AccessTools.problems(problems)))));
                reply = session.converse(REPAIR, history, tools, session.jsonFormat());
            }
            turns++;
            transcript = reply.transcript();
            AccessDraft draft;
            try {
                draft = check.normalized(AccessDraft.parse(reply.text()));
            } catch (AccessDraft.Unreadable e) {
                return new Turn(null, e.getMessage());
            }
            if (previous != null && lastRead != null) {
                // after an unreadable turn the intent stays fixed against the last draft read
                guard.refusal(lastRead, lastReadProblems, draft).ifPresent(reason -> {
                    throw new Refused(reason, draft);
                });
            }
            lastRead = draft;
            return new Turn(draft, null);
        }
    }

    /** A repair that would change the intent: the loop stops, the draft is not delivered. */
    private static final class Refused extends RuntimeException {
        private final AccessDraft repair;

        Refused(String reason, AccessDraft repair) {
            super(reason);
            this.repair = repair;
        }
    }

    private static String userTurn(String task, List<String> corrections, DraftCheck check) {
        ArrayNode tables = Json.events().createArrayNode();
        for (String name : check.tables()) {
            SchemaCatalog.Table t = check.catalog().tables().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow();
            tables.add(AccessTools.describe(t).put("ownerColumnSuggested", check.inferred(name).orElseThrow()
                    .ownerColumn()));
        }
        ObjectNode schema = Json.events().createObjectNode();
        schema.set("toDraft", tables);
        check.others().forEach(schema.putArray("leaveAlone")::add);
        String answers = corrections.isEmpty() ? "" : fill(CORRECTIONS, Map.of("answers",
                Untrusted.fence("the user's answers", String.join("\n---\n", corrections))));
        return fill(USER, Map.of("task", Untrusted.fence("task", task), "schema", Untrusted.fence("schema", Json.write(schema)),
                "corrections", answers));
    }

    /** The template with its {{name}} placeholders filled in one pass: a value is never read as a placeholder. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for {{" + m.group(1) + "}} in a prompt template");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = AccessDrafter.class.getResourceAsStream("/dev/backendteam/security/ai/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the prompt " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
