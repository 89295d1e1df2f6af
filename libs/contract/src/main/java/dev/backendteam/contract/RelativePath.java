package dev.backendteam.contract;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for a file path that travels in a request or a bundle: relative and already normalised, so that it
 * names the same file under any folder on any system and can never land outside it. {@code /} separates segments;
 * there is no leading {@code /}, no drive letter, no {@code \}, no {@code .}, {@code ..} or empty segment, no
 * control character; a segment has at most {@value #MAX_SEGMENT_BYTES} UTF-8 bytes (the common file-name limit)
 * and the path at most {@value #MAX_BYTES} (Linux's PATH_MAX).
 */
public final class RelativePath {
    public static final int MAX_SEGMENT_BYTES = 255;
    public static final int MAX_BYTES = 4096;
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");

    private RelativePath() {
    }

    /** What is wrong with {@code path} as a relative path ("has a '..' segment"), or empty if nothing is. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("is empty");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of("contains the control character U+" + String.format(Locale.ROOT, "%04X", (int) c)
                        + " at index " + i);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < path.length()
                    && Character.isLowSurrogate(path.charAt(i + 1)))) {
                return Optional.of("is not valid Unicode (a lone surrogate at index " + i + ")");
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        if (path.indexOf('\\') >= 0) {
            return Optional.of("contains '\\'; separate segments with '/'");
        }
        if (path.startsWith("/")) {
            return Optional.of("is absolute (starts with '/')");
        }
        if (DRIVE.matcher(path).find()) {
            return Optional.of("starts with a drive letter ('" + path.substring(0, 2) + "')");
        }
        int bytes = Json.utf8Length(path);
        if (bytes > MAX_BYTES) {
            return Optional.of("has " + bytes + " bytes; at most " + MAX_BYTES + " (UTF-8)");
        }
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                return Optional.of(i == segments.length - 1 ? "ends with '/'" : "has an empty segment ('//')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("has a '" + segment + "' segment");
            }
            int segmentBytes = Json.utf8Length(segment);
            if (segmentBytes > MAX_SEGMENT_BYTES) {
                return Optional.of("has a segment of " + segmentBytes + " bytes; at most " + MAX_SEGMENT_BYTES
                        + " (UTF-8)");
            }
        }
        return Optional.empty();
    }

    public static boolean isSafe(String path) {
        return problem(path).isEmpty();
    }
}
