package dev.backendteam.ops.engine;

import dev.backendteam.contract.Specialist;

import java.util.List;
import java.util.regex.Pattern;

/** One catalogued error: how to recognise it in a log and which specialist owns its fix. */
public record LogRule(String id, String sqlstate, Specialist handoff, String summary, String fix,
        List<Pattern> patterns) {

    public LogRule {
        patterns = List.copyOf(patterns);
    }
}
