package dev.backendteam.stack.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A job file: the body of {@code POST /jobs} as JSON, or the same fields in YAML (BRIEF §3a writes domain specs in
 * YAML). It is checked here as strictly as the gateway checks it — unknown fields, wrong types, a missing task —
 * so that a typo fails at once, with the file's line, rather than after the stack has started.
 *
 * @param json the body to send: the file's content as JSON (a YAML file converted)
 */
public record JobFile(Path path, String json, JobRequest request) {
    private static final ObjectMapper STRICT_YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper STRICT_JSON = Json.strict().copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public static JobFile read(Path path) {
        return parse(path, content(path));
    }

    /** {@code .json} is JSON, {@code .yaml}/{@code .yml} YAML; any other name: JSON if it starts with '{'. */
    public static JobFile parse(Path path, String content) {
        if (content.isBlank()) {
            throw new JobFileException(path + ": the file is empty; a job needs at least a task, e.g. "
                    + (isYaml(path, content) ? "task: \"Add comments to posts\""
                            : "{ \"task\": \"Add comments to posts\" }"));
        }
        Parsed<JobRequest> job = strictRead(path, content, JobRequest.class, "a job");
        if (job.value().task() == null || job.value().task().isBlank()) {
            throw new JobFileException(path + ": 'task' is required: say what you want done");
        }
        return new JobFile(path, job.json(), job.value());
    }

    /**
     * This job with {@code files} added (a project's, from {@code run --files}): a file the job itself lists wins over
     * one of the same path.
     */
    public JobFile withFiles(List<FileInput> extra) {
        ObjectNode body = Json.read(json, ObjectNode.class);
        ArrayNode files = body.withArray("files");
        Set<String> listed = new HashSet<>();
        files.forEach(f -> listed.add(f.path("path").asText()));
        for (FileInput f : extra) {
            if (listed.add(f.path())) {
                files.addObject().put("path", f.path()).put("content", f.content());
            }
        }
        String merged = Json.write(body);
        return new JobFile(path, merged, strictRead(path, merged, JobRequest.class, "a job").value());
    }

    /**
     * An answer file, for a question the job asks: the body of {@code POST /jobs/{id}/answers} in JSON or YAML
     * ({@code answer} plus any input field, e.g. {@code logs}), checked like a job file. Any other file (not
     * {@code .json}, {@code .yaml}, {@code .yml}) is sent as the job's logs. Returns the body, as JSON.
     */
    public static String answerBody(Path path) {
        String content = content(path);
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".json") && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
            if (content.isBlank()) {
                throw new JobFileException(path + ": the file is empty");
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("answer", "the log in " + path.getFileName());
            body.put("logs", content);
            return Json.write(body);
        }
        if (content.isBlank()) {
            throw new JobFileException(path + ": the file is empty; an answer needs at least: answer: …");
        }
        Parsed<JobAnswer> answer = strictRead(path, content, JobAnswer.class, "an answer");
        if (answer.value().answer() == null || answer.value().answer().isBlank()) {
            ObjectNode body = answer.tree().deepCopy();
            body.put("answer", "see the fields sent with this answer (" + path.getFileName() + ")");
            return Json.write(body);
        }
        return answer.json();
    }

    private record Parsed<T>(ObjectNode tree, T value) {
        String json() {
            return Json.write(tree);
        }
    }

    private static String content(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JobFileException(path + ": no such file");
        } catch (IOException e) {
            throw new JobFileException(path + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static <T> Parsed<T> strictRead(Path path, String content, Class<T> type, String what) {
        boolean yaml = isYaml(path, content);
        ObjectMapper mapper = yaml ? STRICT_YAML : STRICT_JSON;
        String kind = yaml ? "YAML" : "JSON";
        JsonNode tree;
        try {
            tree = mapper.readTree(content);
        } catch (JsonProcessingException e) {
            throw new JobFileException(path + ": not valid " + kind + where(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || !tree.isObject()) {
            throw new JobFileException(path + ": " + what + " must be " + (yaml ? "a mapping" : "an object")
                    + " of fields; this file holds " + describe(tree));
        }
        try {
            return new Parsed<>((ObjectNode) tree, mapper.readValue(content, type));
        } catch (UnrecognizedPropertyException e) {
            throw new JobFileException(path + ": unknown field '" + fieldPath(e) + "'"
                    + whereKey(content, e.getPropertyName(), yaml, e.getLocation())
                    + "; the fields of " + what + " are " + e.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            throw new JobFileException(path + ": field '" + fieldPath(e) + "'" + where(e.getLocation())
                    + " has the wrong type: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new JobFileException(path + ": not valid " + kind + where(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()));
        }
    }

    private static boolean isYaml(Path path, String content) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return false;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return true;
        }
        return !content.stripLeading().startsWith("{");
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr()
                + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "");
    }

    /**
     * The line of an unknown key. Jackson's location for it is where the parser stood afterwards (in YAML the next
     * line), so the key is looked up in the text: the first line holding it as a key.
     */
    private static String whereKey(String content, String key, boolean yaml, JsonLocation fallback) {
        Pattern keyPattern = Pattern.compile(yaml ? "(?:^|[\\s{,-])[\"']?" + Pattern.quote(key) + "[\"']?\\s*:"
                : "\"" + Pattern.quote(key) + "\"\\s*:");
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (keyPattern.matcher(lines.get(i)).find()) {
                return " at line " + (i + 1);
            }
        }
        return yaml ? "" : where(fallback);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                p.append(p.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                p.append('[').append(r.getIndex()).append(']');
            }
        }
        return p.length() == 0 ? "(job)" : p.toString();
    }

    private static String describe(JsonNode tree) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return "nothing";
        }
        if (tree.isArray()) {
            return "a list";
        }
        return "a single value (" + tree.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message).trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** The job file cannot be used; the message names the file, the place and what is wrong. */
    public static final class JobFileException extends RuntimeException {
        public JobFileException(String message) {
            super(message);
        }
    }
}
