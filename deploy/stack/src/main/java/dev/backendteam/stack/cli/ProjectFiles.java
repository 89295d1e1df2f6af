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
 * files too big for a request (the gateway takes 2 MB in all), each one named in {@link Collected#skipped()}. Lock
 * files are exempt from the per-file cap (only the total counts; past it their path comes with a note instead of the
 * content), and the walk stops once the total is spent. In the configuration files that are attached, the values of
 * secret-looking keys (password, secret, token, key, credential, private) are masked unless they are only a
 * {@code ${ENV}} reference, and so are credentials in URLs ({@code https://user:token@host}) in every file, each
 * one named in {@link Collected#masked()}.
 */
public final class ProjectFiles {
    static final long MAX_FILE_BYTES = 256 * 1024;
    static final long MAX_TOTAL_BYTES = 1536 * 1024;
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", ".hg", ".svn", "target", "build", "dist", "out",
            "node_modules", ".gradle", ".idea", ".vscode", ".backend-team", "__pycache__", ".venv", "venv", "vendor",
            ".next", ".nuxt", "coverage", ".yarn", ".cache", ".terraform", ".tox", "bower_components", ".pnpm-store",
            "deno-dir", ".deno");
    private static final Set<String> NAMES = Set.of("pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle",
            "settings.gradle.kts", "gradle.properties", "mvnw", "maven-wrapper.properties", "package.json",
            "package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lockb", "tsconfig.json", "requirements.txt",
            "pyproject.toml", "poetry.lock", "Pipfile", "Procfile", "runtime.txt", "deno.json", "deno.jsonc", "deno.lock",
            "go.mod", "Dockerfile", ".dockerignore", "railway.json", "railway.toml", "railway.ts", "nixpacks.toml",
            "application.properties", "application.yaml", "application.yml", "microprofile-config.properties",
            ".nvmrc", ".node-version", ".python-version", ".tool-versions");

    private static final Set<String> CONFIG_NAMES = Set.of("application.properties", "application.yaml",
            "application.yml", "microprofile-config.properties");
    private static final Set<String> LOCK_FILES = Set.of("package-lock.json", "pnpm-lock.yaml", "yarn.lock",
            "poetry.lock", "deno.lock");
    /** Configuration files whose values may be secrets ({@code quarkus.datasource.password=…}). */
    private static final Set<String> MASKED_NAMES = Set.of("application.properties", "application.yaml",
            "application.yml", "microprofile-config.properties", "gradle.properties", "maven-wrapper.properties");
    static final String MASK = "***";
    /** How many left-out files the launcher names before "and N more". */
    static final int SHOWN = 20;
    private static final Pattern SECRET_WORD = Pattern.compile("PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{[A-Za-z0-9_.\\-]+:?}");
    private static final Pattern URL_CREDENTIALS = Pattern.compile(
            "\\b([A-Za-z][A-Za-z0-9+.\\-]*\\\\?://)([^/\\s:@'\"]+):([^/\\s@'\"]+)@");
    private static final Pattern PROPERTY = Pattern.compile("^(\\s*)((?:\\\\.|[^=:\\s\\\\])+)(\\s*[=:]\\s*|\\s+)(.*)$");
    private static final Pattern YAML_KEY = Pattern.compile(
            "^(\\s*)(-\\s+)?(\"[^\"]*\"|'[^']*'|[^\\s#'\"{\\[-][^:#]*?)\\s*:(?:\\s+(.*))?$");
    private static final Pattern SOURCE = Pattern.compile(
            "\\.(java|kt|scala|groovy|ts|js|mjs|py|go|rs|rb|md|txt)$");

    private ProjectFiles() {
    }

    /** The project files found, and the ones left out with why. */
    public record Collected(List<FileInput> files, List<String> skipped, List<String> masked, long bytes) {
    }

    /** The first {@value #SHOWN} entries, then "and N more". */
    static String shown(List<String> entries) {
        if (entries.size() <= SHOWN) {
            return String.join(", ", entries);
        }
        return String.join(", ", entries.subList(0, SHOWN)) + " and " + (entries.size() - SHOWN) + " more";
    }

    public static Collected collect(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new JobFile.JobFileException(folder + ": --files needs a folder (the project to deploy)");
        }
        List<FileInput> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> masked = new ArrayList<>();
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
                    boolean lock = LOCK_FILES.contains(name);
                    if (attrs.size() > MAX_FILE_BYTES && !lock) {
                        skipped.add(path + " (" + attrs.size() / 1024 + " KB: over " + MAX_FILE_BYTES / 1024 + " KB)");
                    } else if (total[0] + attrs.size() > MAX_TOTAL_BYTES) {
                        if (lock) {
                            // which package manager the project uses is in the lock file's name: keep that
                            String note = "content left out by --files: " + attrs.size() / 1024
                                    + " KB would pass the job's " + MAX_TOTAL_BYTES / 1024 + " KB";
                            files.add(new FileInput(path, name.endsWith(".json") || name.endsWith(".lock")
                                    && name.startsWith("deno") ? "{\"backend-team\": \"" + note + "\"}\n"
                                    : "# " + note + "\n"));
                            skipped.add(path + " (" + attrs.size() / 1024 + " KB: would pass " + MAX_TOTAL_BYTES / 1024
                                    + " KB in all; its path is attached with a note)");
                            return FileVisitResult.CONTINUE;
                        }
                        skipped.add(path + " and any further files (the job's files would pass "
                                + MAX_TOTAL_BYTES / 1024 + " KB; stopped looking)");
                        return FileVisitResult.TERMINATE;
                    } else {
                        try {
                            String content = StandardCharsets.UTF_8.newDecoder()
                                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
                            files.add(new FileInput(path, mask(path, name, content, masked)));
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
        return new Collected(List.copyOf(files), List.copyOf(skipped), List.copyOf(masked), total[0]);
    }

    /**
     * The content with the values of secret-looking keys masked (configuration files only) and credentials in URLs
     * (every file); each masking named in {@code masked} as {@code path: key (line n)}.
     */
    static String mask(String path, String name, String content, List<String> masked) {
        String[] original = content.split("\n", -1);
        String[] lines = original.clone();
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        boolean config = MASKED_NAMES.contains(name);
        List<String[]> parents = new ArrayList<>(); // yaml: {indent, key}
        int blockIndent = -1; // a masked value continues: a properties line ending in \, a yaml block scalar
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (blockIndent >= 0) {
                int indent = line.length() - line.stripLeading().length();
                boolean continued = yaml ? line.isBlank() || indent > blockIndent
                        : original[i - 1].endsWith("\\");
                if (continued) {
                    lines[i] = line.isBlank() ? line : line.substring(0, indent) + MASK;
                    continue;
                }
                blockIndent = -1;
            }
            String trimmed = line.stripLeading();
            boolean comment = trimmed.startsWith("#") || !yaml && trimmed.startsWith("!");
            if (config && !trimmed.isEmpty() && !comment) {
                java.util.regex.Matcher m = (yaml ? YAML_KEY : PROPERTY).matcher(line);
                if (m.matches()) {
                    String key;
                    String value;
                    int valueStart;
                    if (yaml) {
                        int indent = m.group(1).length() + (m.group(2) == null ? 0 : m.group(2).length());
                        while (!parents.isEmpty() && Integer.parseInt(parents.get(parents.size() - 1)[0]) >= indent) {
                            parents.remove(parents.size() - 1);
                        }
                        String own = m.group(3).replaceAll("^[\"']|[\"']$", "");
                        StringBuilder full = new StringBuilder();
                        parents.forEach(pk -> full.append(pk[1]).append('.'));
                        key = full.append(own).toString();
                        value = m.group(4) == null ? "" : m.group(4);
                        valueStart = m.group(4) == null ? line.length() : m.start(4);
                        if (value.isEmpty() || value.startsWith("#")) {
                            parents.add(new String[] {String.valueOf(indent), own});
                        }
                    } else {
                        key = m.group(2);
                        value = m.group(4);
                        valueStart = m.start(4);
                    }
                    String bare = value.strip().replaceAll("^([\"'])(.*)\\1$", "$2");
                    if (secretKey(key) && !bare.isEmpty() && !bare.startsWith("#") && !ENV_REFERENCE.matcher(bare).matches()) {
                        boolean block = yaml && (bare.startsWith("|") || bare.startsWith(">"));
                        lines[i] = line.substring(0, valueStart) + MASK;
                        masked.add(path + ": " + key + " (line " + (i + 1) + ")");
                        if (block) {
                            blockIndent = m.group(1).length();
                        } else if (!yaml && value.endsWith("\\")) {
                            blockIndent = 0;
                        }
                        continue;
                    }
                }
            }
            java.util.regex.Matcher url = URL_CREDENTIALS.matcher(line);
            StringBuilder out = new StringBuilder();
            boolean found = false;
            while (url.find()) {
                if (ENV_REFERENCE.matcher(url.group(3)).matches()) {
                    continue;
                }
                found = true;
                url.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(url.group(1) + MASK + "@"));
            }
            if (found) {
                url.appendTail(out);
                lines[i] = out.toString();
                masked.add(path + ": credentials in a URL (line " + (i + 1) + ")");
            }
        }
        return String.join("\n", lines);
    }

    /** A key one of whose words names a secret: {@code quarkus.datasource.password}, {@code signing.keyId}, {@code apiKey}. */
    static boolean secretKey(String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        if (SECRET_WORD.matcher(upper).find()) {
            return true;
        }
        // KEY as a word or a word's end (apiKey, access_key, key-store), not inside one (keycloak)
        java.util.regex.Matcher words = WORD.matcher(key.replaceAll("([a-z0-9])([A-Z])", "$1 $2"));
        while (words.find()) {
            String w = words.group().toUpperCase(Locale.ROOT);
            if (w.endsWith("KEY") || w.equals("KEYS")) {
                return true;
            }
        }
        return false;
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
