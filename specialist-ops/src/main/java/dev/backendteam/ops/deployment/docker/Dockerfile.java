package dev.backendteam.ops.deployment.docker;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile: its instructions in order, its build stages (one per FROM) and the problems the parser met
 * (an unknown instruction, an exec form that is not a JSON array of strings, an unterminated heredoc).
 */
public record Dockerfile(List<Instruction> instructions, List<Stage> stages, List<ParseProblem> problems) {

    /** A build stage: its index, its FROM instruction, the image it starts from and its {@code AS} name if any. */
    public record Stage(int index, Instruction from, String image, String name) {
    }

    /** Something the parser could not read, at a 1-based line. */
    public record ParseProblem(int line, String message) {
    }

    public Dockerfile {
        instructions = List.copyOf(instructions);
        stages = List.copyOf(stages);
        problems = List.copyOf(problems);
    }

    public Optional<Stage> finalStage() {
        return stages.isEmpty() ? Optional.empty() : Optional.of(stages.get(stages.size() - 1));
    }

    public List<Instruction> inStage(int stage) {
        return instructions.stream().filter(i -> i.stage() == stage).toList();
    }

    /** The instructions before the first FROM (global ARGs). */
    public List<Instruction> preamble() {
        return inStage(-1);
    }
}
