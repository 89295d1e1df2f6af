package dev.backendteam.stack.cli;

import dev.backendteam.contract.RelativePath;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where a job's bundle lands: the zip as the gateway served it ({@code backend-team-<job id>.zip}) and, next to it,
 * its content (REPORT.md, supabase/migrations/…, deploy files), ready to copy into a project. An entry whose name is
 * not a {@link RelativePath} (absolute, {@code ..}, a drive letter, {@code \}…), or that would reach outside the
 * folder through a symbolic link, is not extracted; the others are, and the refused ones are returned, so that a
 * bad entry neither writes outside the folder nor costs the rest of the bundle.
 */
public final class BundleFolder {
    private BundleFolder() {
    }

    /** An entry that was not extracted, and why ("has a '..' segment"). */
    public record Refused(String name, String reason) {
        /** The name with control characters escaped, safe to print on a terminal. */
        public String printableName() {
            StringBuilder out = new StringBuilder();
            name.codePoints().forEach(c -> {
                if (Character.isISOControl(c)) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            return out.toString();
        }
    }

    /** @param files the extracted files, relative to the folder, in zip order */
    public record Extraction(List<Path> files, List<Refused> refused) {
        public Extraction {
            files = List.copyOf(files);
            refused = List.copyOf(refused);
        }
    }

    /** The zip's file name, as the gateway's Content-Disposition gives it. */
    public static String zipName(String jobId) {
        return "backend-team-" + jobId + ".zip";
    }

    /** Writes the zip and extracts every safe entry into {@code folder}. */
    public static Extraction write(Path folder, String jobId, byte[] zip) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Path realRoot = root.toRealPath();
        Files.write(root.resolve(zipName(jobId)), zip);
        List<Path> extracted = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                // a directory entry is named with a trailing '/'; its path is the name without it
                String path = entry.isDirectory() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                Optional<String> problem = refusal(root, realRoot, path, entry.isDirectory());
                if (problem.isPresent()) {
                    refused.add(new Refused(name, problem.get()));
                    continue;
                }
                Path target = root.resolve(path).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                extracted.add(root.relativize(target));
            }
        }
        return new Extraction(extracted, refused);
    }

    /** Why the entry at {@code path} must not be extracted into {@code root}, or empty if it may. */
    private static Optional<String> refusal(Path root, Path realRoot, String path, boolean directory) {
        Optional<String> problem = RelativePath.problem(path);
        if (problem.isPresent()) {
            return problem;
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            return Optional.of("would land outside the folder");
        }
        return throughLink(realRoot, directory ? target : target.getParent());
    }

    /**
     * Whether {@code dir}, inside the folder by name, leads outside it in fact: its deepest existing part (the
     * folder itself at least) must resolve, links followed, to a place inside the folder. Folders created below
     * that part are then inside too.
     */
    private static Optional<String> throughLink(Path realRoot, Path dir) {
        Path existing = dir;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            return existing.toRealPath().startsWith(realRoot) ? Optional.empty()
                    : Optional.of("would land outside the folder through the symbolic link " + existing);
        } catch (IOException e) {
            return Optional.of("would land on " + existing + ", which cannot be resolved (" + e.getMessage() + ")");
        }
    }
}
