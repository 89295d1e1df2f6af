package dev.backendteam.stack.cli;

import dev.backendteam.contract.FileInput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code run --files <dir>}: the files of a project that say how it builds, runs and is configured — what the ops
 * deployment role detects a stack from — read from a folder and attached to the job as {@code files}. Sources,
 * build output, dependencies, VCS data and anything that looks like a secret ({@code .env}, keys) stay behind; so do
 * files too big for a request (the gateway takes 2 MB in all), each one named in {@link Collected#skipped()}.
 */
public final class ProjectFiles {
    static final long MAX_FILE_BYTES = 256 * 1024;
    static final long MAX_TOTAL_BYTES = 1536 * 1024;
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", ".hg", ".svn", "target", "build", "dist", "out",
            "node_modules", ".gradle", ".idea", ".vscode", ".backend-team", "__pycache__", ".venv", "venv", "vendor",
            ".next", ".nuxt", "coverage");
    private static final Set<String> NAMES = Set.of("pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle",
            "settings.gradle.kts", "gradle.properties", "mvnw", "maven-wrapper.properties", "package.json",
            "package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lockb", "tsconfig.json", "requirements.txt",
            "pyproject.toml", "poetry.lock", "Pipfile", "Procfile", "runtime.txt", "deno.json", "deno.jsonc", "deno.lock",
            "go.mod", "Dockerfile", ".dockerignore", "railway.json", "railway.toml", "railway.ts", "nixpacks.toml",
            "application.properties", "application.yaml", "application.yml", "microprofile-config.properties",
            ".nvmrc", ".node-version", ".python-version", ".tool-versions");

    private static final Set<String> CONFIG_NAMES = Set.of("application.properties", "application.yaml",
            "application.yml", "microprofile-config.properties");
    private static final Pattern SOURCE = Pattern.compile(
            "\\.(java|kt|scala|groovy|ts|js|mjs|py|go|rs|rb|md|txt)$");

    private ProjectFiles() {
    }

    /** The project files found, and the ones left out with why. */
    public record Collected(List<FileInput> files, List<String> skipped, long bytes) {
    }

    public static Collected collect(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new JobFile.JobFileException(folder + ": --files needs a folder (the project to deploy)");
        }
        List<FileInput> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long[] total = {0};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    return !dir.equals(folder) && (SKIPPED_FOLDERS.contains(name) || isTestFolder(folder, dir))
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = file.getFileName().toString();
                    String path = folder.relativize(file).toString().replace('\\', '/');
                    if (!attrs.isRegularFile() || !wanted(name, path)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.size() > MAX_FILE_BYTES) {
                        skipped.add(path + " (" + attrs.size() / 1024 + " KB: over " + MAX_FILE_BYTES / 1024 + " KB)");
                    } else if (total[0] + attrs.size() > MAX_TOTAL_BYTES) {
                        skipped.add(path + " (the job's files would pass " + MAX_TOTAL_BYTES / 1024 + " KB)");
                    } else {
                        try {
                            files.add(new FileInput(path, StandardCharsets.UTF_8.newDecoder()
                                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString()));
                            total[0] += attrs.size();
                        } catch (CharacterCodingException e) {
                            skipped.add(path + " (not UTF-8 text)");
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(FileInput::path));
        return new Collected(List.copyOf(files), List.copyOf(skipped), total[0]);
    }

    /** Test sources configure tests, not the service: {@code src/test} stays behind. */
    private static boolean isTestFolder(Path root, Path dir) {
        Path rel = root.relativize(dir);
        int n = rel.getNameCount();
        return n >= 2 && rel.getName(n - 1).toString().equals("test") && rel.getName(n - 2).toString().equals("src");
    }

    private static boolean wanted(String name, String path) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(".env") || lower.endsWith(".pem") || lower.endsWith(".key")) {
            return false;
        }
        if (path.startsWith("src/") || path.contains("/src/")) {
            // inside sources only a service's configuration: a package.json there is a resource, not a build
            return CONFIG_NAMES.contains(name);
        }
        return NAMES.contains(name) || name.endsWith(".dockerfile")
                || name.startsWith("Dockerfile.") && !SOURCE.matcher(lower).find()
                || path.startsWith(".github/workflows/") && (lower.endsWith(".yml") || lower.endsWith(".yaml"));
    }
}
