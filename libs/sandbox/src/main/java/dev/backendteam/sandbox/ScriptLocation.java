package dev.backendteam.sandbox;

/** A 1-based line and column (counted in code points) in a submitted script. */
public record ScriptLocation(int line, int column) {

    /** The line and column of a {@code String} index in {@code text}. */
    public static ScriptLocation of(String text, int offset) {
        int bounded = Math.max(0, Math.min(offset, text.length()));
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < bounded; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new ScriptLocation(line, text.codePointCount(lineStart, bounded) + 1);
    }
}
