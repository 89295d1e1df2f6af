package dev.backendteam.stack.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where a job's bundle lands: the zip as the gateway served it ({@code backend-team-<job id>.zip}) and, next to it,
 * its content (REPORT.md, supabase/migrations/…, deploy files), ready to copy into a project. An entry that would
 * land outside the folder is refused.
 */
public final class BundleFolder {
    private BundleFolder() {
    }

    /** The zip's file name, as the gateway's Content-Disposition gives it. */
    public static String zipName(String jobId) {
        return "backend-team-" + jobId + ".zip";
    }

    /** Writes the zip and extracts it into {@code folder}; returns the extracted files, relative to it. */
    public static List<Path> write(Path folder, String jobId, byte[] zip) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Files.write(root.resolve(zipName(jobId)), zip);
        List<Path> extracted = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("the bundle holds an entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                extracted.add(root.relativize(target));
            }
        }
        return extracted;
    }
}
