package dev.backendteam.ops.engine;

/**
 * A catalogued error found in a log: the rule, what it names ({@code null} when only a SQLSTATE was seen), where it
 * first appears (1-based line, character offset) and the text that matched.
 */
public record Diagnosis(LogRule rule, String object, int line, int offset, String matched) {
}
