package dev.backendteam.ops.deployment.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.ops.debugger.SecretRedactor;
import dev.backendteam.ops.deployment.stack.Deployable;
import dev.backendteam.ops.deployment.stack.EnvVar;
import dev.backendteam.ops.deployment.stack.StackKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The engine's check of a model's description of the deployables (where the stack detector found none): every field
 * is one the renderers read; the kind is one they support; the directory and the build file the kind builds from are
 * among the files given; the port, the health path, the start command and the env names are what the templates can
 * carry safely; no value of a secret anywhere. A description that passes is turned into the {@link Deployable}s the
 * detector would have produced, then rendered and its files checked ({@code rendered}); those checks' problems are the
 * draft's problems too.
 */
public final class StackDraftCheck {
    public static final String SHAPE = "draft.shape";
    public static final String EXTRA = "draft.not-a-field";
    public static final String UNKNOWN_KIND = "draft.unknown-kind";
    public static final String NO_DIRECTORY = "draft.directory-not-in-files";
    public static final String NO_BUILD_FILE = "draft.build-file-not-in-files";
    public static final String BAD_PORT = "draft.port";
    public static final String BAD_HEALTH = "draft.health-path";
    public static final String BAD_NAME = "draft.service-name";
    public static final String BAD_ENV = "draft.env-name";
    public static final String SECRET = "draft.secret-value";
    public static final String BAD_START = "draft.start-command";
    public static final String BAD_NEED = "draft.need";
    static final Set<String> FIELDS = Set.of("services", "reason");
    static final Set<String> SERVICE_FIELDS = Set.of("name", "directory", "kind", "buildFile", "port", "healthPath",
            "startCommand", "env", "needs");
    static final Set<String> NEEDS = Set.of("postgres", "redis", "kafka");
    static final int MAX_SERVICES = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    private static final Pattern HEALTH = Pattern.compile("/[A-Za-z0-9/._~-]{0,200}");
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|DSN|URL",
            Pattern.CASE_INSENSITIVE);
    /** A URL with credentials, or NAME=value / NAME: value where NAME is a credential's. */
    private static final Pattern SECRET_VALUE = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@"
            + "|(?:password|passwd|pwd|secret|token|api[_-]?key|database_url|dsn)\\w*\\s*[=:]\\s*\\S");
    private static final int MAX_TEXT = 300;
    /** A directory of the repository: path segments of letters, digits and . _ - only (it is rendered unquoted). */
    private static final java.util.regex.Pattern SAFE_DIRECTORY = java.util.regex.Pattern
            .compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    /** A start command that is a shell or runs inline code rather than a program of the files. */
    private static final java.util.regex.Pattern RUNS_CODE = java.util.regex.Pattern.compile(
            "(?i)(^|\\s)(sh|bash|zsh|dash|eval|exec|curl|wget)(\\s|$)|(^|\\s)-(c|e|-eval|-command)(\\s|$)");

    /** What each kind builds from, in the service's directory (any one of them). */
    static final Map<StackKind, List<String>> BUILD_FILES = Map.of(
            StackKind.QUARKUS, List.of("pom.xml"), StackKind.JAVA_MAVEN, List.of("pom.xml"),
            StackKind.NODE, List.of("package.json"), StackKind.PYTHON, List.of("requirements.txt", "pyproject.toml"),
            StackKind.DENO, List.of("deno.json", "deno.jsonc"), StackKind.GO, List.of("go.mod"));

    private final Map<String, String> files;
    private final Function<List<Deployable>, List<RepairLoop.Problem>> rendered;

    /**
     * @param files    the job's files, path to content
     * @param rendered renders the deployables' files and runs their checks, returning the problems
     */
    public StackDraftCheck(Map<String, String> files, Function<List<Deployable>, List<RepairLoop.Problem>> rendered) {
        this.files = files;
        this.rendered = rendered;
    }

    /** The draft's problems, the rendered files' included; empty: accepted. */
    public List<RepairLoop.Problem> problems(JsonNode json) {
        List<RepairLoop.Problem> problems = new ArrayList<>();
        List<Deployable> deployables = read(json, problems);
        if (problems.isEmpty()) {
            problems.addAll(rendered.apply(deployables));
        }
        return problems;
    }

    /** The deployables a draft describes; what is wrong with it goes to {@code problems}. */
    public List<Deployable> read(JsonNode json, List<RepairLoop.Problem> problems) {
        secrets(json, "", problems);
        extra(json, FIELDS, "", problems);
        JsonNode services = json.get("services");
        List<Deployable> out = new ArrayList<>();
        if (services == null || !services.isArray() || services.isEmpty()) {
            problems.add(new RepairLoop.Problem(SHAPE, "/services", "the answer needs \"services\": an array of at"
                    + " least one service"));
            return out;
        }
        if (services.size() > MAX_SERVICES) {
            problems.add(new RepairLoop.Problem(SHAPE, "/services", "at most " + MAX_SERVICES + " services"));
            return out;
        }
        Set<String> names = new HashSet<>();
        Set<String> directories = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            JsonNode s = services.get(i);
            String at = "/services/" + i;
            if (!s.isObject()) {
                problems.add(new RepairLoop.Problem(SHAPE, at, "each service is a JSON object"));
                continue;
            }
            extra(s, SERVICE_FIELDS, at + "/", problems);
            Deployable d = service(s, at, problems);
            if (d != null && !names.add(d.name())) {
                problems.add(new RepairLoop.Problem(BAD_NAME, d.name(), "two services are named " + d.name()));
            }
            if (d != null && !directories.add(d.dir())) {
                problems.add(new RepairLoop.Problem(NO_DIRECTORY, d.dir().isEmpty() ? "/" : d.dir(), "two services"
                        + " are in " + (d.dir().isEmpty() ? "the repository root" : d.dir()) + ": each has its own"
                        + " directory and Dockerfile"));
            }
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private Deployable service(JsonNode s, String at, List<RepairLoop.Problem> problems) {
        int before = problems.size();
        String name = text(s, "name", at, problems);
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(new RepairLoop.Problem(BAD_NAME, bounded(name), "the service name must match"
                    + " [A-Za-z0-9][A-Za-z0-9._-]* and have at most 63 characters"));
        }
        String given = text(s, "directory", at, problems);
        String dir = given == null ? "" : given.strip().replaceAll("^\\./?", "").replaceAll("/+$", "");
        if (!dir.isEmpty() && (dir.contains("..") || dir.startsWith("/") || !SAFE_DIRECTORY.matcher(dir).matches()
                || files.keySet().stream().noneMatch(p -> p.startsWith(dir + "/")))) {
            problems.add(new RepairLoop.Problem(NO_DIRECTORY, bounded(dir), "the directory " + bounded(dir) + " holds"
                    + " none of the files given: name a folder of the file list, or \"\" for the repository root"));
            return null;
        }
        String kindName = text(s, "kind", at, problems);
        StackKind kind = Arrays.stream(StackKind.values()).filter(k -> k.template().equals(kindName)).findFirst()
                .orElse(null);
        if (kind == null) {
            problems.add(new RepairLoop.Problem(UNKNOWN_KIND, bounded(kindName), "the kind must be one of "
                    + Arrays.stream(StackKind.values()).map(StackKind::template).collect(Collectors.joining(", "))
                    + ": the engine renders no other"));
            return null;
        }
        String prefix = dir.isEmpty() ? "" : dir + "/";
        String buildFile = text(s, "buildFile", at, problems);
        List<String> accepted = BUILD_FILES.get(kind).stream().map(f -> prefix + f).toList();
        if (buildFile != null && !files.containsKey(buildFile.strip())) {
            problems.add(new RepairLoop.Problem(NO_BUILD_FILE, bounded(buildFile), "the build file " + bounded(buildFile)
                    + " is not among the files given"));
        } else if (accepted.stream().noneMatch(files::containsKey)) {
            problems.add(new RepairLoop.Problem(NO_BUILD_FILE, prefix + BUILD_FILES.get(kind).get(0), "a " + kindName
                    + " service is built from " + String.join(" or ", accepted) + ", and none is among the files"
                    + " given: pick the kind the files show, or another directory"));
        } else if (buildFile != null && !accepted.contains(buildFile.strip())) {
            problems.add(new RepairLoop.Problem(NO_BUILD_FILE, bounded(buildFile), "a " + kindName + " service in "
                    + (dir.isEmpty() ? "the repository root" : dir) + " is built from " + String.join(" or ",
                    accepted) + ", not " + bounded(buildFile)));
        }
        JsonNode portNode = s.get("port");
        int port = portNode != null && portNode.isIntegralNumber() ? portNode.asInt() : -1;
        if (portNode == null || !portNode.isIntegralNumber() || !portNode.canConvertToInt() || port < 1
                || port > 65535) {
            problems.add(new RepairLoop.Problem(BAD_PORT, at + "/port", "the port is an integer from 1 to 65535"));
        }
        String health = text(s, "healthPath", at, problems);
        if (health == null || !HEALTH.matcher(health).matches()) {
            problems.add(new RepairLoop.Problem(BAD_HEALTH, bounded(health), "the health path starts with / and holds"
                    + " only letters, digits and / . _ ~ - (at most 200 characters)"));
        }
        String start = text(s, "startCommand", at, problems);
        start = start == null || start.isBlank() ? null : start.strip();
        if (start != null && (start.length() > MAX_TEXT || start.matches("(?s).*[\\n\\r`;&|<>$\\\\].*")
                || RUNS_CODE.matcher(start).find())) {
            problems.add(new RepairLoop.Problem(BAD_START, at + "/startCommand", "the start command runs a program of"
                    + " the files (node server.js, npm start, python app.py, python -m app, gunicorn app:app): one line"
                    + " of at most " + MAX_TEXT + " characters, without a shell, inline code (-c, -e, eval) or"
                    + " ; & | < > ` $ \\"));
        }
        if (start == null && (kind == StackKind.NODE || kind == StackKind.PYTHON)) {
            problems.add(new RepairLoop.Problem(BAD_START, at + "/startCommand", "a " + kindName + " service needs"
                    + " the command that starts it"));
        }
        List<EnvVar> env = new ArrayList<>();
        for (String e : strings(s, "env", at, problems)) {
            if (e.contains("=") || e.contains("://")) {
                problems.add(new RepairLoop.Problem(SECRET, at + "/env", "env lists names only, never a value: give"
                        + " " + bounded(e.replaceAll("[=:].*", "")) + " and set its value in Railway"));
            } else if (!ENV_NAME.matcher(e).matches()) {
                problems.add(new RepairLoop.Problem(BAD_ENV, bounded(e), "an env name is upper case letters, digits"
                        + " and _, not starting with a digit"));
            } else {
                env.add(new EnvVar(e, null, SECRET_NAME.matcher(e).find(), "named by the model"));
            }
        }
        Set<String> needs = new HashSet<>();
        for (String n : strings(s, "needs", at, problems)) {
            if (!NEEDS.contains(n)) {
                problems.add(new RepairLoop.Problem(BAD_NEED, bounded(n), "needs names only postgres, redis or"
                        + " kafka"));
            }
            needs.add(n);
        }
        if (problems.size() > before) {
            return null;
        }
        boolean readsPort = start != null && start.contains("PORT") || kind == StackKind.GO || kind == StackKind.DENO
                || files.entrySet().stream().anyMatch(f -> f.getKey().startsWith(prefix) && f.getValue() != null
                        && f.getValue().contains("PORT"));
        String lock = switch (kind) {
            case NODE -> List.of("package-lock.json", "pnpm-lock.yaml", "yarn.lock").stream()
                    .filter(l -> files.containsKey(prefix + l)).findFirst().orElse(null);
            case PYTHON -> files.containsKey(prefix + "requirements.txt") ? "requirements.txt" : "pyproject.toml";
            case GO -> files.containsKey(prefix + "go.sum") ? "go.sum" : null;
            default -> null;
        };
        String runtime = switch (kind) {
            case QUARKUS, JAVA_MAVEN -> "17";
            case NODE -> "22";
            case PYTHON -> "3.12";
            case DENO -> "2";
            case GO -> "1.24";
        };
        String command = start != null ? start : switch (kind) {
            case DENO -> "deno run --allow-net --allow-env main.ts";
            case GO -> "/app/server";
            default -> null;
        };
        boolean buildScript = kind == StackKind.NODE && files.getOrDefault(prefix + "package.json", "")
                .matches("(?s).*\"build\"\\s*:.*");
        return new Deployable(name, dir, kind, port, readsPort, health, false, runtime, needs, true, env,
                new Deployable.BuildFacts(kind == StackKind.QUARKUS || kind == StackKind.JAVA_MAVEN ? List.of(dir)
                        : List.of(), List.of(dir), lock, command, buildScript));
    }

    /** A secret's value anywhere in the draft (a URL with credentials, password=…, or what the redactor masks). */
    private static void secrets(JsonNode node, String at, List<RepairLoop.Problem> problems) {
        if (node.isTextual()) {
            String v = node.asText();
            if (SECRET_VALUE.matcher(v).find() || !SecretRedactor.redact(v).equals(v)) {
                problems.add(new RepairLoop.Problem(SECRET, at.isEmpty() ? "/" : at, "the description holds the"
                        + " value of a secret: name the variable in env, never its value (it is set in Railway)"));
            }
        } else if (node.isContainerNode()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    secrets(node.get(i), at + "/" + i, problems);
                }
            }
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (SECRET_VALUE.matcher(f.getKey()).find() || !SecretRedactor.redact(f.getKey()).equals(f.getKey())) {
                    problems.add(new RepairLoop.Problem(SECRET, at.isEmpty() ? "/" : at, "a field name of the"
                            + " description holds the value of a secret: never write one"));
                }
                secrets(f.getValue(), at + "/" + f.getKey(), problems);
            }
        }
    }

    private static void extra(JsonNode json, Set<String> allowed, String at, List<RepairLoop.Problem> problems) {
        List<String> extra = new ArrayList<>();
        json.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                extra.add(f);
            }
        });
        extra.forEach(f -> problems.add(new RepairLoop.Problem(EXTRA, at + bounded(f), "there is no field '"
                + bounded(f) + "': a description has " + String.join(", ", allowed.stream().sorted().toList())
                + "; where and how to deploy is the engine's")));
    }

    private static String text(JsonNode s, String field, String at, List<RepairLoop.Problem> problems) {
        JsonNode v = s.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(new RepairLoop.Problem(SHAPE, at + "/" + field, "\"" + field + "\" must be a string or null"));
            return null;
        }
        return v.asText().length() > MAX_TEXT ? v.asText().substring(0, MAX_TEXT) : v.asText();
    }

    private static List<String> strings(JsonNode s, String field, String at, List<RepairLoop.Problem> problems) {
        JsonNode v = s.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray() || v.size() > 50) {
            problems.add(new RepairLoop.Problem(SHAPE, at + "/" + field, "\"" + field + "\" is an array of at most 50"
                    + " strings"));
            return out;
        }
        v.forEach(e -> {
            if (e.isTextual()) {
                out.add(e.asText().strip());
            } else {
                problems.add(new RepairLoop.Problem(SHAPE, at + "/" + field, "\"" + field + "\" holds strings only"));
            }
        });
        return out;
    }

    public static String bounded(String s) {
        if (s == null) {
            return "(none)";
        }
        // a value quoted back (to the model, into a finding, into the step's reason) never carries a secret
        String one = SECRET_VALUE.matcher(s).find() ? "(a value that holds a secret)"
                : SecretRedactor.redact(s).replaceAll("\\s+", " ").strip();
        return one.length() <= 120 ? one : one.substring(0, 120) + "…";
    }
}
