package dev.backendteam.orchestrator.service;

import dev.backendteam.contract.FileInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A submitted {@code .env} file keeps its variables' names and loses their values before anything is stored or
 * sent: the specialists need to know which variables a project has (ops wires them into the deployment), never
 * their secrets, and job records, events, reports and bundles must not hold them. Comments go too (they hold
 * values often enough). Templates ({@code .env.example}, {@code .sample}, {@code .template}, {@code .dist}) are
 * kept as they are: they are meant to be committed.
 */
final class DotEnvFiles {
    static final String HEADER = "# backend-team kept this file's variable names, not their values:"
            + " secrets are never stored\n";
    private static final Set<String> TEMPLATES = Set.of("example", "sample", "template", "dist");
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=(.*)$");

    private DotEnvFiles() {
    }

    /** {@code .env}, {@code .env.production}, {@code prod.env} — not the templates. */
    static boolean isDotEnv(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.equals(".env") || (name.endsWith(".env") && name.length() > 4)) {
            return true;
        }
        if (name.startsWith(".env.")) {
            return !TEMPLATES.contains(name.substring(".env.".length()));
        }
        return false;
    }

    /** The files with every {@code .env} file reduced to its names; null stays null. */
    static List<FileInput> withoutValues(List<FileInput> files) {
        if (files == null) {
            return null;
        }
        List<FileInput> out = new ArrayList<>(files.size());
        for (FileInput f : files) {
            out.add(f.path() != null && f.content() != null && isDotEnv(f.path())
                    ? new FileInput(f.path(), namesOnly(f.content())) : f);
        }
        return out;
    }

    /** {@code KEY=} per assignment, in order; a quoted value over several lines is skipped whole. */
    static String namesOnly(String content) {
        StringBuilder out = new StringBuilder(HEADER);
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ASSIGNMENT.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            out.append(m.group(1)).append("=\n");
            String value = m.group(2).strip();
            if (!value.isEmpty() && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
                char quote = value.charAt(0);
                boolean closed = closes(value.substring(1), quote);
                while (!closed && i + 1 < lines.length) {
                    closed = closes(lines[++i], quote);
                }
            }
        }
        return out.toString();
    }

    private static boolean closes(String text, char quote) {
        for (int j = 0; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == quote) {
                return true;
            }
        }
        return false;
    }
}
