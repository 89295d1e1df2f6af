package dev.backendteam.ops.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.RelativePath;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.ops.deployment.ai.StackDraftCheck;
import dev.backendteam.ops.deployment.ai.StackDrafter;
import dev.backendteam.ops.deployment.check.FileChecks;
import dev.backendteam.ops.deployment.check.SchemaCheck;
import dev.backendteam.ops.deployment.check.Toolchain;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;
import dev.backendteam.ops.deployment.render.BaseImages;
import dev.backendteam.ops.deployment.render.DeployGuide;
import dev.backendteam.ops.deployment.render.DockerfileWriter;
import dev.backendteam.ops.deployment.render.RailwayConfig;
import dev.backendteam.ops.deployment.render.Template;
import dev.backendteam.ops.deployment.render.Workflow;
import dev.backendteam.ops.deployment.stack.Deployable;
import dev.backendteam.ops.deployment.stack.MavenPom;
import dev.backendteam.ops.deployment.stack.Stack;
import dev.backendteam.ops.deployment.stack.StackDetector;
import dev.backendteam.ops.deployment.stack.StackKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Ops deployment (BRIEF §6): detects the stack from the job's files, writes a Dockerfile per deployable, a
 * {@code .dockerignore}, {@code .railway/railway.ts} with the package.json and lock file it needs, a CI workflow that
 * tests before it deploys and {@code DEPLOY.md} (variables, health, rollback), and checks every file before
 * delivery. A file that fails its check fails the step; a check whose toolchain is missing is {@code not_run}. With a
 * model, files in which the detector finds no deployable service are described by the model instead (see
 * {@link StackDrafter}); the engine checks that description, renders from it and checks the files as for a detected
 * stack.
 */
public final class DeploymentEngine implements SpecialistEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String MODEL_DRAFT = "model stack draft";
    private static final Pattern MEMORY = Pattern.compile("-XX:MaxRAMPercentage=\\d+|--max-old-space-size=\\d+");

    private final StackDetector detector;
    private final DockerfileLinter linter;
    private final FileChecks checks;
    private final DockerfileWriter dockerfiles;
    private final RailwayConfig railway;
    private final Optional<ModelSession> model;

    public DeploymentEngine(Toolchain toolchain) {
        this(toolchain, Optional.empty());
    }

    /** {@code model}: with one, files the detector finds no deployable service in are described by it. */
    public DeploymentEngine(Toolchain toolchain, Optional<ModelSession> model) {
        this.model = model;
        BaseImages images = BaseImages.standard();
        this.linter = DockerfileLinter.standard();
        this.detector = StackDetector.standard();
        this.checks = new FileChecks(linter, new SchemaCheck(), toolchain);
        this.dockerfiles = new DockerfileWriter(images);
        this.railway = new RailwayConfig(images);
    }

    @Override
    public Role role() {
        return Role.DEPLOYMENT;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        List<FileInput> files = task.inputs().files();
        Optional<Diagnosis> diagnosis = task.diagnosis();
        if (files.isEmpty() && diagnosis.isPresent()) {
            // a handoff of the debugger: ask for the files this diagnosis's deployment change is made in
            Diagnosis d = diagnosis.get();
            return StepOutcome.needsInput("The debugger diagnosed " + diagnosed(d) + " and handed its deployment"
                    + " change to this step (its fixes are in the report). To deliver that change (" + topic(d)
                    + "), give in `files` " + filesFor(d) + ".",
                    List.of(Finding.info("input.none", d.object(), "no files given to make the deployment change of "
                            + d.rule() + " in")));
        }
        if (files.isEmpty()) {
            return StepOutcome.needsInput("Which service should be deployed? Give its build files (pom.xml of every"
                    + " module, or package.json with its lock file, requirements.txt, deno.json, go.mod) and its"
                    + " configuration (application.properties) in `files`.",
                    List.of(Finding.info("input.none", null, "no files given to detect a stack from")));
        }
        Stack stack = detector.detect(files);
        List<Finding> findings = new ArrayList<>(stack.findings());
        if (stack.deployables().isEmpty() && model.isPresent()) {
            return draftedByModel(model.get(), task, files, findings);
        }
        if (stack.deployables().isEmpty()) {
            return StepOutcome.needsInput("No deployable service was found in the " + files.size() + " file(s) given."
                    + " Which service should be deployed? Give its build files (pom.xml, package.json,"
                    + " requirements.txt/pyproject.toml, deno.json or go.mod).", findings);
        }
        return deliver(task, stack, findings, List.of());
    }

    /**
     * The model describes the deployables the detector did not find; the engine checks the description, renders its
     * files and checks them, and the problems go back to the model (at most twice, with the loop breaker). An accepted
     * description is delivered exactly as a detected stack would be; a rejected one fails the step with the reasons.
     */
    private StepOutcome draftedByModel(ModelSession m, TaskEvent task, List<FileInput> files, List<Finding> findings) {
        long started = System.nanoTime();
        Map<String, String> inputs = new LinkedHashMap<>();
        // the detector's rule: a path that is not a safe relative path is no file the model may build from
        files.stream().filter(f -> RelativePath.isSafe(f.path()))
                .forEach(f -> inputs.put(f.path(), f.content() == null ? "" : f.content()));
        StackDraftCheck check = new StackDraftCheck(inputs, deployables -> renderedProblems(inputs, deployables));
        RepairLoop.Outcome<StructuredDraft.Answer> outcome = new StackDrafter(m).draft(task.task(), inputs, check);
        String by = "the model (" + m.provider() + " " + m.modelName() + ")";
        Evidence evidence = new Evidence(MODEL_DRAFT, outcome.accepted(), "model draft: " + m.provider() + " "
                + m.modelName() + ": " + outcome.reason(), (System.nanoTime() - started) / 1_000_000);
        if (!outcome.accepted()) {
            findings.addAll(outcome.findings("the build files of the service (pom.xml, package.json with a start"
                    + " script, requirements.txt/pyproject.toml, deno.json or go.mod)"));
            return new StepOutcome(ResultStatus.FAILED, outcome.reason(), FailureKind.INVALID_INPUT, null, List.of(),
                    findings, List.of(evidence), null);
        }
        List<Deployable> deployables = check.read(outcome.value().json(), new ArrayList<>());
        // the detector's "no deployable service" no longer holds: the model's description, checked, stands for it
        findings.removeIf(f -> f.ruleId().equals("deploy.stack-unknown"));
        JsonNode reason = outcome.value().json().get("reason");
        findings.add(Finding.info("deploy.stack-drafted-by-model", null, by + " drafted the stack description ("
                + deployables.stream().map(d -> d.name() + ": " + d.kind().template() + " from " + (d.dir().isEmpty()
                        ? "the repository root" : d.dir())).collect(Collectors.joining("; "))
                + (reason != null && reason.isTextual() ? "; " + StackDraftCheck.bounded(reason.asText()) : "")
                + "): the detector found no deployable service. The engine checked the kind, the directory and"
                + " build file against the files, the port, health path and env names, and rendered and checked the"
                + " files below from it"));
        return deliver(task, new Stack(deployables, List.of()), findings, List.of(evidence));
    }

    /** The files a description renders (Dockerfiles, railway.ts), checked: their failures are the draft's problems. */
    private List<RepairLoop.Problem> renderedProblems(Map<String, String> inputs, List<Deployable> deployables) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Deployable d : deployables) {
            out.put(d.dockerfilePath(), dockerfiles.write(d));
        }
        out.put(FileChecks.RAILWAY_TS, railway.write(projectName(inputs, new Stack(deployables, List.of())),
                deployables));
        FileChecks.Result checked = checks.run(out);
        List<RepairLoop.Problem> problems = new ArrayList<>(checked.findings().stream()
                .filter(f -> f.severity() == Severity.ERROR)
                .map(f -> new RepairLoop.Problem(f.ruleId(), f.object(), f.message())).toList());
        if (problems.isEmpty()) {
            checked.evidence().stream().filter(Evidence::failed).forEach(e -> problems.add(
                    new RepairLoop.Problem("check.failed", e.check(), e.details())));
        }
        return problems;
    }

    private StepOutcome deliver(TaskEvent task, Stack stack, List<Finding> findings, List<Evidence> drafted) {
        List<FileInput> files = task.inputs().files();
        Optional<Diagnosis> diagnosis = task.diagnosis();
        Map<String, String> inputs = new LinkedHashMap<>();
        files.forEach(f -> inputs.put(f.path(), f.content() == null ? "" : f.content()));
        // Dockerfiles the user already has are linted too: their findings are advice, not the delivery's proof
        inputs.forEach((path, content) -> {
            if (FileChecks.isDockerfile(path)) {
                findings.addAll(linter.lint(path, content).stream().map(f -> new Finding("input." + f.ruleId(),
                        f.severity(), f.object(), "(your " + path + ") " + f.message(), f.fix(), f.line())).toList());
            }
        });
        List<String> notes = new ArrayList<>();
        findings.addAll(migrationNotes(inputs, notes));

        // the project's name goes into railway.ts and DEPLOY.md as the services' do: a slug when unsafe (the
        // detector's finding on the service already says so for package.json)
        String project = StackDetector.serviceName(projectName(inputs, stack), "the project name", new ArrayList<>());
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> described = new LinkedHashMap<>();
        for (Deployable d : stack.deployables()) {
            out.put(d.dockerfilePath(), dockerfiles.write(d));
            described.put(d.dockerfilePath(), "multi-stage image of " + d.name() + " (" + d.kind().template()
                    + (d.kind() == StackKind.QUARKUS ? ", JVM" : "") + ")");
            if (d.kind() == StackKind.QUARKUS) {
                out.put(d.nativeDockerfilePath(), dockerfiles.writeNative(d));
                described.put(d.nativeDockerfilePath(), "multi-stage native image of " + d.name() + " (Mandrel;"
                        + " railway.ts builds the JVM one: point dockerfilePath here to deploy this instead)");
            }
        }
        out.put(".dockerignore", Template.text("dockerignore"));
        described.put(".dockerignore", "keeps .git, build output, node_modules and .env files out of the build context");
        out.put(FileChecks.RAILWAY_TS, railway.write(project, stack.deployables()));
        described.put(FileChecks.RAILWAY_TS, "the Railway project as code (railway/iac): services, health checks,"
                + " replicas, variables by reference, databases");
        out.put(FileChecks.RAILWAY_PACKAGE, Template.text("railway-package.json"));
        described.put(FileChecks.RAILWAY_PACKAGE, "pins the railway SDK that railway.ts imports; kept under .railway/ so"
                + " the repository itself does not become a Node project");
        out.put(FileChecks.RAILWAY_LOCK, Template.text("railway-package-lock.json"));
        described.put(FileChecks.RAILWAY_LOCK, "its lock file (npm ci --prefix .railway)");
        Set<String> paths = new LinkedHashSet<>(inputs.keySet());
        out.put(".github/workflows/deploy.yml", new Workflow().write(stack.deployables(), paths));
        described.put(".github/workflows/deploy.yml", "CI: the test job, then the deploy job that needs it");
        described.put("DEPLOY.md", "this guide");
        List<RailwayConfig.Wiring> wiring = railway.wiring(stack.deployables());
        out.put("DEPLOY.md", new DeployGuide().write(project, stack.deployables(), wiring, described, notes));
        for (RailwayConfig.Wiring w : wiring) {
            if (w.value() != null) {
                findings.add(new Finding("deploy.env", Severity.INFO, w.service() + "." + w.variable(), w.service()
                        + " needs " + w.variable() + " (" + w.needed() + ")", w.value().equals("preserve()")
                        ? "Set it once in Railway: railway variables --service " + w.service() + " --set "
                        + w.variable() + "=…" : "Wired in .railway/railway.ts as " + w.value() + ".", null));
            }
        }
        for (Deployable d : stack.deployables()) {
            findings.add(new Finding("deploy.service", Severity.INFO, d.name(), d.name() + ": " + d.kind().template()
                    + " from " + (d.dir().isEmpty() ? "the repository root" : d.dir()) + ", port $PORT (default "
                    + d.port() + "), health " + d.healthPath() + ", " + (d.publicHttp() ? "public" : "private")
                    + (d.needs().isEmpty() ? "" : ", needs " + String.join(", ", d.needs())), null, null));
        }
        diagnosis.ifPresent(dg -> findings.add(new Finding("deploy.diagnosis", Severity.INFO, dg.object(), "the"
                + " debugger's diagnosis " + diagnosed(dg) + " (" + topic(dg) + "), in the files delivered: "
                + stack.deployables().stream().map(d -> delivered(d, out.get(d.dockerfilePath())))
                        .collect(Collectors.joining("; ")), "Deploy these files; the debugger's fixes of the"
                + " application are in the report.", null)));
        FileChecks.Result checked = checks.run(out);
        findings.addAll(checked.findings());
        List<Evidence> evidence = new ArrayList<>(drafted);
        evidence.addAll(checked.evidence());
        List<Artifact> artifacts = out.entrySet().stream()
                .map(e -> Artifact.file(e.getKey(), e.getValue(), Specialist.OPS)).toList();
        if (checked.anyFailed()) {
            List<String> failedChecks = checked.evidence().stream().filter(Evidence::failed).map(Evidence::check).toList();
            return new StepOutcome(ResultStatus.FAILED, "the deployment files failed their checks: " + failedChecks,
                    FailureKind.PROOF_FAILED, null, artifacts, findings, evidence, null);
        }
        return StepOutcome.succeeded(artifacts, findings, evidence, null);
    }

    /** The validation round: the bundle's files of this role, checked again as they are now. */
    @Override
    public StepOutcome validate(TaskEvent task) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Artifact a : task.artifacts()) {
            if (a.kind() == ArtifactKind.FILE && Specialist.OPS.id().equals(a.producedBy()) && a.name() != null
                    && FileChecks.covers(a.name())) {
                files.put(a.name(), a.content() == null ? "" : a.content());
            }
        }
        if (files.isEmpty()) {
            return StepOutcome.checked(Evidence.notRun("deployment files",
                    "the bundle holds no deployment file of ops to check"));
        }
        FileChecks.Result checked = checks.run(files);
        if (checked.anyFailed()) {
            return new StepOutcome(ResultStatus.FAILED, "deployment files failed their checks in the validation round",
                    FailureKind.PROOF_FAILED, null, List.of(), checked.findings(), checked.evidence(), null);
        }
        return StepOutcome.succeeded(List.of(), checked.findings(), checked.evidence(), null);
    }

    private static String diagnosed(Diagnosis d) {
        return d.rule() + (d.object() == null ? "" : " (" + d.object() + ")")
                + (d.sqlstate() == null ? "" : ", SQLSTATE " + d.sqlstate());
    }

    /** What of the deployment a diagnosis's rule is about. */
    private static String topic(Diagnosis d) {
        String rule = d.rule();
        if (rule.contains("memory") || rule.contains("oom")) {
            return "memory settings";
        } else if (rule.contains("healthcheck") || rule.contains("failed-to-respond")) {
            return "health check path and PORT binding";
        } else if (rule.contains("port")) {
            return "PORT binding";
        } else if (rule.startsWith("postgres.") || rule.startsWith("pool.")) {
            return "database connection settings";
        } else if (rule.startsWith("kafka.")) {
            return "Kafka settings";
        }
        return "configuration";
    }

    private static String filesFor(Diagnosis d) {
        String build = "the service's build files (pom.xml of every module, or package.json with its lock file,"
                + " requirements.txt, deno.json, go.mod)";
        return switch (topic(d)) {
            case "memory settings" -> build + " and its Dockerfile if it has one (the JVM or Node memory flags)";
            case "health check path and PORT binding", "PORT binding" -> build + " and its configuration"
                    + " (application.properties: quarkus.http.port / server.port, the health endpoint), its"
                    + " Dockerfile and railway.json if it has them";
            default -> build + " and its configuration (application.properties or the environment it reads)";
        };
    }

    /** What a delivered Dockerfile does about health, PORT and memory. */
    private static String delivered(Deployable d, String dockerfile) {
        List<String> facts = new ArrayList<>();
        facts.add((dockerfile.contains("HEALTHCHECK") ? "HEALTHCHECK and " : "") + "Railway health check on "
                + d.healthPath());
        facts.add(d.readsPort() ? "listens on 0.0.0.0:$PORT" : "does not read $PORT yet (deploy.port-fixed)");
        Matcher memory = MEMORY.matcher(dockerfile);
        facts.add(memory.find() ? "memory " + memory.group() : "no memory flag");
        return d.dockerfilePath() + ": " + String.join(", ", facts);
    }

    private static String projectName(Map<String, String> files, Stack stack) {
        if (files.containsKey("pom.xml")) {
            String id = MavenPom.parse(files.get("pom.xml")).pom().map(MavenPom::artifactId).orElse(null);
            if (id != null) {
                return id.replaceAll("-parent$", "");
            }
        }
        if (files.containsKey("package.json")) {
            try {
                JsonNode pkg = JSON.readTree(files.get("package.json"));
                if (pkg != null && pkg.hasNonNull("name")) {
                    return pkg.get("name").asText().replaceAll("^@[^/]+/", "");
                }
            } catch (JsonProcessingException e) {
                // unreadable: the detector already reported it; fall back to the first service's name
            }
        }
        return stack.deployables().get(0).name();
    }

    /** Railway stopped reading per-service railway.json / railway.toml on 2026-12-01: say how each maps. */
    private static List<Finding> migrationNotes(Map<String, String> files, List<String> notes) {
        List<Finding> out = new ArrayList<>();
        files.forEach((path, content) -> {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (!name.equals("railway.json") && !name.equals("railway.toml")) {
                return;
            }
            StringBuilder mapped = new StringBuilder();
            if (name.equals("railway.json")) {
                try {
                    JsonNode cfg = JSON.readTree(content);
                    Map<String, String> keys = new LinkedHashMap<>();
                    keys.put("/build/builder", "build: { builder }");
                    keys.put("/build/dockerfilePath", "build: { dockerfilePath }");
                    keys.put("/build/buildCommand", "build: \"<command>\"");
                    keys.put("/build/watchPatterns", "build: { watchPatterns }");
                    keys.put("/deploy/startCommand", "start");
                    keys.put("/deploy/preDeployCommand", "preDeploy");
                    keys.put("/deploy/healthcheckPath", "healthcheck");
                    keys.put("/deploy/healthcheckTimeout", "healthcheckTimeout");
                    keys.put("/deploy/numReplicas", "replicas");
                    keys.put("/deploy/restartPolicyType", "deploy: { restartPolicyType }");
                    keys.put("/deploy/restartPolicyMaxRetries", "deploy: { restartPolicyMaxRetries }");
                    keys.put("/deploy/cronSchedule", "deploy: { cronSchedule } (or fn() for a cron job)");
                    keys.put("/deploy/region", "regions");
                    keys.forEach((pointer, target) -> {
                        JsonNode v = cfg == null ? null : cfg.at(pointer);
                        if (v != null && !v.isMissingNode()) {
                            mapped.append(pointer.substring(1).replace('/', '.')).append(" = ").append(v)
                                    .append(" → service(…, { ").append(target).append(" }); ");
                        }
                    });
                } catch (JsonProcessingException e) {
                    mapped.append("(it does not parse as JSON: ").append(e.getOriginalMessage()).append(") ");
                }
            } else {
                mapped.append("its [build] keys map to service(…, { build }), [deploy] startCommand → start,"
                        + " healthcheckPath → healthcheck, numReplicas → replicas; ");
            }
            String message = path + " is per-service Config as Code, which Railway no longer reads since 2026-12-01;"
                    + " .railway/railway.ts replaces it. " + mapped.toString().strip();
            out.add(new Finding("deploy.railway-config-migration", Severity.WARN, path, message, "Check the generated"
                    + " .railway/railway.ts carries these settings, delete " + path + " (a service managed by it"
                    + " cannot be managed by railway.ts: railway config plan stops on it), then railway config plan"
                    + " and apply. The Railway CLI can also convert it: railway config migrate --lang ts.", null));
            notes.add("Migration: " + message);
        });
        return out;
    }
}
