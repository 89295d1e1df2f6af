package dev.backendteam.ops.debugger;

/**
 * A catalogued error found in a log: the rule, what it names ({@code null} when only a SQLSTATE or a bare message was
 * seen), where it first appears (1-based line of the submitted log, character offset and end in the scanned text), the
 * text that matched, and where it sits in its error block: the block's first offset and how many "Caused by:" lines
 * precede it in that block.
 */
public record PatternMatch(LogRule rule, String object, int line, int offset, int end, String matched, int blockStart,
        int depth) {
}
