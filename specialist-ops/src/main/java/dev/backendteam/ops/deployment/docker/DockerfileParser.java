package dev.backendteam.ops.deployment.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile the way the builder does (no Java parser for the format is published on Maven Central): parser
 * directives at the top ({@code # escape=`}), comment lines (also inside a continuation), line continuations by the
 * escape character, heredocs ({@code RUN <<EOF … EOF}), leading {@code --flags}, the JSON exec form, and stages
 * ({@code FROM image [AS name]}).
 */
public final class DockerfileParser {
    static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD",
            "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");
    private static final Set<String> EXEC_FORM = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "ADD", "COPY", "VOLUME",
            "HEALTHCHECK");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
    private static final Pattern FLAG = Pattern.compile("^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\\S*))?\\s*");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DockerfileParser() {
    }

    public static Dockerfile parse(String text) {
        String[] lines = (text == null ? "" : text).replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        char escape = '\\';
        int i = 0;
        // parser directives: only at the very top, before any other line
        for (; i < lines.length; i++) {
            Matcher d = DIRECTIVE.matcher(lines[i].trim());
            if (!d.matches()) {
                break;
            }
            if (d.group(1).equalsIgnoreCase("escape") && d.group(2).length() == 1) {
                escape = d.group(2).charAt(0);
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        List<Dockerfile.Stage> stages = new ArrayList<>();
        List<Dockerfile.ParseProblem> problems = new ArrayList<>();
        while (i < lines.length) {
            String first = lines[i];
            String trimmed = first.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                i++;
                continue;
            }
            int startLine = i + 1;
            StringBuilder logical = new StringBuilder();
            String current = first;
            while (true) {
                String stripped = current.stripTrailing();
                if (!stripped.isEmpty() && stripped.charAt(stripped.length() - 1) == escape) {
                    logical.append(stripped, 0, stripped.length() - 1).append(' ');
                    i++;
                    // comment and empty lines inside a continuation are dropped, as the builder does
                    while (i < lines.length && (lines[i].isBlank() || lines[i].strip().startsWith("#"))) {
                        i++;
                    }
                    if (i >= lines.length) {
                        break;
                    }
                    current = lines[i];
                } else {
                    logical.append(current);
                    i++;
                    break;
                }
            }
            String line = logical.toString().strip();
            int space = indexOfWhitespace(line);
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space).strip();
            // heredocs: the body runs to the line holding only the delimiter
            Matcher h = HEREDOC.matcher(rest);
            if (h.find() && (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD"))) {
                String delimiter = h.group(3);
                boolean stripTabs = h.group(1).equals("-");
                StringBuilder body = new StringBuilder();
                boolean closed = false;
                while (i < lines.length) {
                    String l = stripTabs ? lines[i].replaceFirst("^\t+", "") : lines[i];
                    i++;
                    if (l.equals(delimiter)) {
                        closed = true;
                        break;
                    }
                    body.append(l).append('\n');
                }
                if (!closed) {
                    problems.add(new Dockerfile.ParseProblem(startLine, "heredoc <<" + delimiter
                            + " is never closed by a line holding only " + delimiter));
                }
                rest = rest + "\n" + body;
            }
            if (!KEYWORDS.contains(keyword)) {
                problems.add(new Dockerfile.ParseProblem(startLine, "unknown instruction " + keyword));
            }
            Map<String, String> flags = new LinkedHashMap<>();
            String args = rest;
            if (!keyword.equals("ONBUILD")) {
                Matcher f;
                while ((f = FLAG.matcher(args)).find()) {
                    flags.put(f.group(1).toLowerCase(Locale.ROOT), f.group(2) == null ? "" : f.group(2));
                    args = args.substring(f.end());
                }
            }
            List<String> exec = null;
            String execPart = keyword.equals("HEALTHCHECK") ? afterCmd(args) : args;
            if (EXEC_FORM.contains(keyword) && execPart != null && execPart.startsWith("[")) {
                exec = jsonArray(execPart);
                if (exec == null && !keyword.equals("RUN")) {
                    problems.add(new Dockerfile.ParseProblem(startLine, keyword
                            + " starts like the exec form but is not a JSON array of strings (use double quotes)"));
                }
            }
            int stage = stages.size() - 1;
            if (keyword.equals("FROM")) {
                stage = stages.size();
            }
            Instruction instruction = new Instruction(keyword, startLine, stage, flags, args, exec);
            instructions.add(instruction);
            if (keyword.equals("FROM")) {
                List<String> words = instruction.words();
                String image = words.isEmpty() ? "" : words.get(0);
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")
                        ? words.get(2).toLowerCase(Locale.ROOT) : null;
                if (words.isEmpty()) {
                    problems.add(new Dockerfile.ParseProblem(startLine, "FROM names no image"));
                }
                stages.add(new Dockerfile.Stage(stage, instruction, image, name));
            }
        }
        if (stages.isEmpty() && problems.isEmpty()) {
            problems.add(new Dockerfile.ParseProblem(1, "no FROM instruction: a Dockerfile starts its first stage with FROM"));
        }
        return new Dockerfile(instructions, stages, problems);
    }

    private static String afterCmd(String args) {
        List<String> w = Words.split(args);
        if (!w.isEmpty() && w.get(0).equalsIgnoreCase("CMD")) {
            int at = args.toUpperCase(Locale.ROOT).indexOf("CMD");
            return args.substring(at + 3).strip();
        }
        return null;
    }

    private static List<String> jsonArray(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    return null;
                }
                out.add(n.asText());
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // not JSON: the builder runs it in the shell form
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isWhitespace(s.charAt(k))) {
                return k;
            }
        }
        return -1;
    }
}
