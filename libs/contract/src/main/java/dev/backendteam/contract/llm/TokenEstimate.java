package dev.backendteam.contract.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * A provider-neutral estimate of a request's prompt tokens, for admitting a call against the budget before it is made:
 * about four characters per token, the rule of thumb for English and code with BPE tokenizers. The provider's own
 * count, recorded after the call, is what the ledger sums.
 */
public final class TokenEstimate {
    private TokenEstimate() {
    }

    public static long of(ChatRequest request) {
        long chars = 0;
        for (ChatMessage m : request.messages()) {
            chars += text(m).length() + 8;
        }
        if (request.toolSpecifications() != null) {
            chars += request.toolSpecifications().stream().mapToLong(t -> t.toString().length()).sum();
        }
        return chars / 4 + 1;
    }

    public static long of(String text) {
        return text == null ? 0 : text.length() / 4 + 1;
    }

    private static String text(ChatMessage m) {
        if (m instanceof SystemMessage s) {
            return s.text();
        }
        if (m instanceof UserMessage u) {
            return u.hasSingleText() ? u.singleText() : u.contents().toString();
        }
        if (m instanceof AiMessage a) {
            return (a.text() == null ? "" : a.text()) + (a.hasToolExecutionRequests()
                    ? a.toolExecutionRequests().toString() : "");
        }
        if (m instanceof ToolExecutionResultMessage t) {
            return t.text();
        }
        return m.toString();
    }
}
