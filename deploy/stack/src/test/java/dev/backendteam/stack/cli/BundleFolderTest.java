package dev.backendteam.stack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        List<Path> files = BundleFolder.write(folder, "job-1", zip);
        assertEquals(2, files.size());
        assertTrue(Files.isRegularFile(folder.resolve("backend-team-job-1.zip")));
        assertEquals("# Report", Files.readString(folder.resolve("REPORT.md")));
        assertEquals("create table post();",
                Files.readString(folder.resolve("supabase/migrations/20250101000000_create_post.sql")));
        BundleFolder.write(folder, "job-1", zip);
        assertEquals("# Report", Files.readString(folder.resolve("REPORT.md")), "a second write replaces the files");
    }

    @Test
    void refusesEntriesOutsideTheFolder(@TempDir Path dir) throws IOException {
        byte[] zip = zip(Map.of("../escaped.txt", "no"));
        IOException e = assertThrows(IOException.class, () -> BundleFolder.write(dir.resolve("b"), "j", zip));
        assertTrue(e.getMessage().contains("../escaped.txt"));
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
    }
}
