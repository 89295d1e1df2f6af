package dev.backendteam.ops.deployment.docker;

import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction as the builder reads it: its keyword in upper case, the 1-based line it starts on, the
 * index of the build stage it belongs to (-1 before the first FROM), its leading {@code --flag=value} options, and
 * its arguments — as written (continuations joined) and, for the JSON exec form, as the array of strings.
 */
public record Instruction(String keyword, int line, int stage, Map<String, String> flags, String arguments,
        List<String> execForm) {

    public Instruction {
        flags = Map.copyOf(flags);
        execForm = execForm == null ? null : List.copyOf(execForm);
    }

    public boolean is(String name) {
        return keyword.equals(name);
    }

    public boolean isExecForm() {
        return execForm != null;
    }

    /** The arguments split into words as a shell would (quotes grouped, not kept); the exec form as it is. */
    public List<String> words() {
        return execForm != null ? execForm : Words.split(arguments);
    }
}
