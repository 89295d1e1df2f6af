package dev.backendteam.stack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleFolderTest {

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void writesTheZipAndItsContent(@TempDir Path dir) throws IOException {
        byte[] zip = zip(Map.of("REPORT.md", "# Report", "supabase/migrations/20250101000000_create_post.sql",
                "create table post();"));
        Path folder = dir.resolve("out").resolve("job-1");
        BundleFolder.Extraction extraction = BundleFolder.write(folder, "job-1", zip);
        assertEquals(2, extraction.files().size());
        assertEquals(List.of(), extraction.refused());
        assertTrue(Files.isRegularFile(folder.resolve("backend-team-job-1.zip")));
        assertEquals("# Report", Files.readString(folder.resolve("REPORT.md")));
        assertEquals("create table post();",
                Files.readString(folder.resolve("supabase/migrations/20250101000000_create_post.sql")));
        BundleFolder.write(folder, "job-1", zip);
        assertEquals("# Report", Files.readString(folder.resolve("REPORT.md")), "a second write replaces the files");
    }

    /** Zip slip: entries that climb out, or start elsewhere, between entries that belong. */
    @Test
    void refusesEachEntryOutsideTheFolderAndExtractsTheRest(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("out").resolve("job-1");
        String absolute = dir.resolve("absolute.txt").toString();
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("REPORT.md", "# Report");
        entries.put("../escaped.txt", "no");
        entries.put("../../climbed.txt", "no");
        entries.put(absolute, "no");
        entries.put("supabase/../../../normalised.txt", "no");
        entries.put("C:\\evil.txt", "no");
        entries.put("C:/drive.txt", "no");
        entries.put("\\\\server\\share.txt", "no");
        entries.put("evil\033[2J.txt", "no");
        entries.put("supabase/migrations/20250101000000_create_post.sql", "create table post();");
        entries.put("supabase/functions/hello/", "");
        BundleFolder.Extraction extraction = BundleFolder.write(folder, "job-1", zip(entries));

        assertEquals(List.of(Path.of("REPORT.md"), Path.of("supabase/migrations/20250101000000_create_post.sql")),
                extraction.files(), "the safe entries, also those after a refused one");
        assertTrue(Files.isDirectory(folder.resolve("supabase/functions/hello")));
        assertEquals(List.of(
                new BundleFolder.Refused("../escaped.txt", "has a '..' segment"),
                new BundleFolder.Refused("../../climbed.txt", "has a '..' segment"),
                new BundleFolder.Refused(absolute, "is absolute (starts with '/')"),
                new BundleFolder.Refused("supabase/../../../normalised.txt", "has a '..' segment"),
                new BundleFolder.Refused("C:\\evil.txt", "contains '\\'; separate segments with '/'"),
                new BundleFolder.Refused("C:/drive.txt", "starts with a drive letter ('C:')"),
                new BundleFolder.Refused("\\\\server\\share.txt", "contains '\\'; separate segments with '/'"),
                new BundleFolder.Refused("evil\033[2J.txt", "contains the control character U+001B at index 4")),
                extraction.refused());
        assertEquals("evil\\u001b[2J.txt", extraction.refused().get(7).printableName());
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(), all.filter(Files::isRegularFile).filter(p -> !p.startsWith(folder)).toList(),
                    "nothing was written outside the folder");
        }
        try (Stream<Path> inside = Files.list(folder)) {
            assertEquals(List.of("REPORT.md", "backend-team-job-1.zip", "supabase"),
                    inside.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void refusesAnEntryThatWouldLeaveThroughASymbolicLink(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("b"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(folder.resolve("supabase"), elsewhere);
        BundleFolder.Extraction extraction = BundleFolder.write(folder, "j", zip(Map.of(
                "supabase/migrations/x.sql", "no")));
        assertEquals(List.of(), extraction.files());
        assertEquals(1, extraction.refused().size());
        assertTrue(extraction.refused().get(0).reason().contains("symbolic link"), extraction.refused().toString());
        try (Stream<Path> written = Files.list(elsewhere)) {
            assertEquals(List.of(), written.toList());
        }
    }
}
