package dev.backendteam.ops.debugger;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A submitted log made safe to scan: line ends normalised, NULs and other control characters blanked, secrets
 * redacted, and bounded to a size — past it the head and the tail are kept (the first error and the last summary)
 * and the middle is dropped, which {@link #truncated()} says. Lines are numbered as in the submitted log.
 * It also knows the log's error blocks: a line and its continuations (stack frames, "Caused by:", "... n more",
 * indented lines), and how deep in a cause chain each line sits.
 */
public final class LogText {
    private static final Pattern CONTINUATION = Pattern.compile(
            "^(?:\\s+\\S.*|\\s*Caused by:.*|\\s*Suppressed:.*|\\s*\\.\\.\\. \\d+ (?:more|common frames omitted).*|[}\\]].*)$");
    private static final Pattern CAUSE = Pattern.compile("^\\s*(?:Caused by:|\\[cause]:)|\\[cause]:");

    private final String text;
    private final int originalChars;
    private final int originalLines;
    private final boolean truncated;
    private final int tailStart;
    private final int tailLineShift;
    private final int[] lineStarts;
    private final int[] blockStartOfLine;
    private final int[] depthOfLine;

    private LogText(String text, int originalChars, int originalLines, boolean truncated, int tailStart,
            int tailLineShift) {
        this.text = text;
        this.originalChars = originalChars;
        this.originalLines = originalLines;
        this.truncated = truncated;
        this.tailStart = tailStart;
        this.tailLineShift = tailLineShift;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        blockStartOfLine = new int[lineStarts.length];
        depthOfLine = new int[lineStarts.length];
        int block = 0;
        int depth = 0;
        for (int l = 0; l < lineStarts.length; l++) {
            String line = line(l);
            if (l > 0 && !line.isBlank() && CONTINUATION.matcher(line).matches()) {
                if (CAUSE.matcher(line).find()) {
                    depth++;
                }
            } else if (!line.isBlank()) {
                block = l;
                depth = 0;
            }
            blockStartOfLine[l] = lineStarts[block];
            depthOfLine[l] = depth;
        }
    }

    /** {@code raw} cleaned, redacted and bounded to {@code maxChars} characters (at least 1,000). */
    public static LogText of(String raw, int maxChars) {
        String clean = sanitize(raw == null ? "" : raw);
        int originalLines = (int) clean.chars().filter(c -> c == '\n').count() + 1;
        int limit = Math.max(1_000, maxChars);
        if (clean.length() <= limit) {
            return new LogText(SecretRedactor.redact(clean), clean.length(), originalLines, false, Integer.MAX_VALUE, 0);
        }
        int half = limit / 2;
        int headEnd = cutAtLine(clean, half);
        int tailFrom = clean.length() - half;
        int nl = clean.indexOf('\n', tailFrom);
        tailFrom = nl < 0 || nl + 1 >= clean.length() ? tailFrom : nl + 1;
        String marker = "\n[… " + (tailFrom - headEnd) + " characters not scanned …]\n";
        String head = SecretRedactor.redact(clean.substring(0, headEnd));
        String tail = SecretRedactor.redact(clean.substring(tailFrom));
        int linesBeforeTail = (int) clean.substring(0, tailFrom).chars().filter(c -> c == '\n').count();
        int scanLinesBeforeTail = (int) (head + marker).chars().filter(c -> c == '\n').count();
        return new LogText(head + marker + tail, clean.length(), originalLines, true, head.length() + marker.length(),
                linesBeforeTail - scanLinesBeforeTail);
    }

    private static int cutAtLine(String s, int at) {
        int nl = s.lastIndexOf('\n', at);
        return nl > at / 2 ? nl : at;
    }

    private static String sanitize(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                if (i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                    continue;
                }
                out.append('\n');
            } else if (c == '\n' || c == '\t' || (c >= ' ' && c != 0x7f && !(c >= 0x80 && c < 0xa0))) {
                out.append(c);
            } else {
                out.append(' ');
            }
        }
        return out.toString();
    }

    public String text() {
        return text;
    }

    public boolean truncated() {
        return truncated;
    }

    public int originalChars() {
        return originalChars;
    }

    public int originalLines() {
        return originalLines;
    }

    /** The 0-based index, in the scanned text, of the line holding {@code offset}. */
    int lineIndex(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The 1-based line of {@code offset} in the submitted log. */
    public int lineNumber(int offset) {
        return lineIndex(offset) + 1 + (offset >= tailStart ? tailLineShift : 0);
    }

    int lineCount() {
        return lineStarts.length;
    }

    int lineStart(int index) {
        return lineStarts[Math.max(0, Math.min(index, lineStarts.length - 1))];
    }

    int lineEnd(int index) {
        int i = Math.max(0, Math.min(index, lineStarts.length - 1));
        return i + 1 < lineStarts.length ? lineStarts[i + 1] - 1 : text.length();
    }

    String line(int index) {
        return text.substring(lineStart(index), lineEnd(index));
    }

    int blockStart(int offset) {
        return blockStartOfLine[lineIndex(offset)];
    }

    int depth(int offset) {
        return depthOfLine[lineIndex(offset)];
    }
}
