package dev.backendteam.contract.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A structured draft from a model, checked by the engine and repaired in the same conversation (BRIEF §6a): the model
 * answers with a JSON object, the engine's {@code check} lists its problems, and those go back to the model as the next
 * turn, within {@link RepairLoop}'s bounds and its loop breaker. An answer that is not a JSON object is a problem like
 * any other.
 */
public final class StructuredDraft {

    /** One answer of the model: its JSON object, or why it has none. */
    public record Answer(JsonNode json, String unreadable) {
    }

    private StructuredDraft() {
    }

    public static RepairLoop.Outcome<Answer> run(ModelSession model, String purpose, String system, String user,
            List<ModelTool> tools, Function<JsonNode, List<RepairLoop.Problem>> check) {
        List<List<ChatMessage>> history = new ArrayList<>();
        RepairLoop.Drafter<Answer> drafter = (previous, problems) -> {
            ModelSession.Reply reply;
            if (history.isEmpty()) {
                reply = model.converse(purpose, system, user, tools, model.jsonFormat());
            } else {
                List<ChatMessage> turns = new ArrayList<>(history.get(history.size() - 1));
                turns.add(UserMessage.from(repairTurn(problems)));
                reply = model.converse(purpose + " (repair " + history.size() + ")", turns, tools,
                        model.jsonFormat());
            }
            history.add(reply.transcript());
            ModelJson.Read read = ModelJson.read(reply.text());
            return new Answer(read.json(), read.problem());
        };
        return RepairLoop.run(drafter, answer -> answer.json() == null
                ? List.of(new RepairLoop.Problem(ModelJson.PROBLEM, null, answer.unreadable()))
                : check.apply(answer.json()), RepairLoop.MAX_REPAIRS);
    }

    /** The turn that hands a draft's problems back. */
    public static String repairTurn(List<RepairLoop.Problem> problems) {
        // The problems quote the database and the data (an error message, a log line): fenced like any data.
        return "The engine checked your answer and found " + problems.size() + (problems.size() == 1 ? " problem"
                : " problems") + ":\n" + Untrusted.fence("problems the engine found", problems.stream()
                .map(p -> "- " + p).collect(Collectors.joining("\n")))
                + "\nFix exactly these, keep everything else, and answer with the whole JSON object again.";
    }
}
