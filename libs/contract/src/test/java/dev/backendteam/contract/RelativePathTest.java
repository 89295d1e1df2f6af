package dev.backendteam.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelativePathTest {

    @ParameterizedTest
    @ValueSource(strings = {"supabase/migrations/20240101000000_init.sql", "Dockerfile", ".github/workflows/ci.yml",
            "package.json", "supabase/functions/hello/index.ts", "a/..b/c..", "...", "docs/ER diagram.md",
            "types/données.ts", "emoji/\uD83D\uDE00.txt"})
    void relativeNormalisedPathsAreSafe(String path) {
        assertEquals(Optional.empty(), RelativePath.problem(path), path);
        assertTrue(RelativePath.isSafe(path));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a/../b              | has a '..' segment",
            "../../etc/passwd    | has a '..' segment",
            "a/..                | has a '..' segment",
            "./a                 | has a '.' segment",
            "a/./b               | has a '.' segment",
            "a//b                | has an empty segment ('//')",
            "a/                  | ends with '/'",
            "/etc/passwd         | is absolute (starts with '/')",
            "C:\\x               | contains '\\'; separate segments with '/'",
            "C:/x                | starts with a drive letter ('C:')",
            "c:x                 | starts with a drive letter ('c:')",
            "\\\\server\\share   | contains '\\'; separate segments with '/'",
            "a\\b                | contains '\\'; separate segments with '/'",
    })
    void unsafePathsAreRefusedWithTheReason(String path, String reason) {
        assertEquals(Optional.of(reason), RelativePath.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0001b", "a\u0000b", "a\nb", "a\tb", "a\u007Fb", "a\u0085b"})
    void controlCharactersAreRefused(String path) {
        assertEquals(Optional.of("contains the control character U+" + String.format("%04X", (int) path.charAt(1))
                + " at index 1"), RelativePath.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\uD800", "a\uDC00b"})
    void emptyAndInvalidUnicodeAreRefused(String path) {
        assertTrue(RelativePath.problem(path).isPresent(), path);
    }

    @ParameterizedTest
    @ValueSource(ints = {255, 256})
    void aSegmentHasAtMost255Bytes(int bytes) {
        String segment = "x".repeat(bytes);
        assertEquals(bytes <= 255, RelativePath.isSafe("dir/" + segment + "/file"));
    }

    @Test
    void segmentsAreMeasuredInUtf8BytesNotCharacters() {
        // 128 two-byte letters are 256 bytes
        assertEquals(Optional.of("has a segment of 256 bytes; at most 255 (UTF-8)"),
                RelativePath.problem("é".repeat(128)));
        assertTrue(RelativePath.isSafe("é".repeat(127)));
    }

    @ParameterizedTest
    @ValueSource(ints = {4096, 4097})
    void aPathHasAtMost4096Bytes(int bytes) {
        String blocks = ("y".repeat(100) + "/").repeat(50).substring(0, bytes);
        String path = blocks.endsWith("/") ? blocks.substring(0, bytes - 1) + "y" : blocks;
        assertEquals(bytes, path.length());
        assertEquals(bytes <= 4096, RelativePath.isSafe(path), RelativePath.problem(path).orElse("safe"));
    }
}
