package dev.backendteam.ops.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ops edge-functions (issue 12): Supabase Edge Functions for what the task needs — webhooks that verify their
 * provider's signature, scheduled jobs, HTTP functions acting as the caller — from the spec's {@code functions} section
 * or the task's unambiguous words, built on the bundle's {@code database.types.ts}. Each function is type-checked with
 * {@code deno check} (offline, against the delivered lock) and served once locally for a smoke test; a failed check
 * fails the step, a missing Deno makes the checks {@code not_run}. Deterministic: no model.
 */
public final class EdgeFunctionsEngine implements SpecialistEngine {
    private static final Pattern ENTRY = Pattern.compile("^supabase/functions/([a-z][a-z0-9-]*)/index\\.ts$");
    private final FunctionPlanner planner;
    private final FunctionWriter writer;
    private final DenoCheck check;
    private final FunctionSmoke smoke;

    public EdgeFunctionsEngine(DenoToolchain deno) {
        FunctionCatalogue catalogue = FunctionCatalogue.bundled();
        this.planner = new FunctionPlanner(catalogue);
        this.writer = new FunctionWriter(catalogue);
        this.check = new DenoCheck(deno);
        this.smoke = new FunctionSmoke(deno);
    }

    @Override
    public Role role() {
        return Role.EDGE_FUNCTIONS;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        String types = databaseTypes(task);
        Set<String> tables = types == null ? Set.of() : TableColumns.parse(types).keySet();
        JsonNode spec = task.inputs().spec();
        FunctionPlanner.Plan plan = planner.plan(spec, task.task(), tables);
        List<Finding> findings = new ArrayList<>(plan.findings());
        if (!plan.problems().isEmpty()) {
            plan.problems().forEach(p -> findings.add(new Finding("functions.spec", Severity.ERROR, null, p,
                    "Correct the spec's `functions` section.", null)));
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "the spec's functions section: "
                    + String.join("; ", plan.problems()), findings);
        }
        if (plan.functions().isEmpty()) {
            findings.add(Finding.info("functions.none-needed", null, "no edge function was needed: the spec has no"
                    + " `functions` section and the task's words name no webhook, schedule or function"));
            return StepOutcome.succeeded(List.of(), findings, List.of(), null);
        }
        FunctionWriter.Result written = writer.write(plan.functions(), types, uniques(spec));
        findings.addAll(written.findings());
        if (!written.problems().isEmpty()) {
            written.problems().forEach(p -> findings.add(new Finding("functions.unmapped", Severity.ERROR, null, p,
                    null, null)));
            return StepOutcome.needsInput("The edge functions cannot be written as asked: "
                    + String.join("; ", written.problems()) + ". Change the spec (or the functions section) and answer.",
                    findings);
        }
        List<Evidence> evidence = proofs(written.files());
        if (evidence.stream().allMatch(e -> e.status() == EvidenceStatus.NOT_RUN)) {
            findings.add(new Finding("functions.not-checked", Severity.WARN, null, "none of the functions was type-checked"
                    + " or served: " + evidence.get(0).details(), "Run specialist-ops/toolchain/install.sh where the"
                    + " service runs (or point backend-team.ops.toolchain at an installed copy), then ask again;"
                    + " until then check them yourself with deno check (see supabase/functions/README.md).", null));
        }
        List<Artifact> artifacts = written.files().entrySet().stream()
                .map(e -> Artifact.file(e.getKey(), e.getValue(), Specialist.OPS)).toList();
        if (evidence.stream().anyMatch(Evidence::failed)) {
            return new StepOutcome(ResultStatus.FAILED, "the edge functions failed their checks: " + evidence.stream()
                    .filter(Evidence::failed).map(Evidence::check).toList(), FailureKind.PROOF_FAILED, null, artifacts,
                    findings, evidence, null);
        }
        return StepOutcome.succeeded(artifacts, findings, evidence, null);
    }

    /** The validation round: deno check and the smoke test again, on the bundle's functions as they are now. */
    @Override
    public StepOutcome validate(TaskEvent task) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Artifact a : task.artifacts()) {
            if (a.kind() == ArtifactKind.FILE && Specialist.OPS.id().equals(a.producedBy()) && a.name() != null
                    && a.name().startsWith(FunctionWriter.ROOT)) {
                files.put(a.name(), a.content() == null ? "" : a.content());
            }
        }
        if (files.keySet().stream().noneMatch(p -> ENTRY.matcher(p).matches())) {
            return StepOutcome.checked(Evidence.notRun("edge functions", "the bundle holds no edge function of ops"));
        }
        List<Evidence> evidence = proofs(files);
        if (evidence.stream().anyMatch(Evidence::failed)) {
            return new StepOutcome(ResultStatus.FAILED, "edge functions failed their checks in the validation round",
                    FailureKind.PROOF_FAILED, null, List.of(), List.of(), evidence, null);
        }
        return StepOutcome.succeeded(List.of(), List.of(), evidence, null);
    }

    private List<Evidence> proofs(Map<String, String> files) {
        List<String> entrypoints = files.keySet().stream().filter(p -> ENTRY.matcher(p).matches()).sorted().toList();
        List<Evidence> evidence = new ArrayList<>(check.run(files, entrypoints));
        for (int i = 0; i < entrypoints.size(); i++) {
            Matcher m = ENTRY.matcher(entrypoints.get(i));
            m.matches();
            if (evidence.get(i).failed()) {
                evidence.add(Evidence.notRun(FunctionSmoke.check(m.group(1)), "deno check failed: not served"));
            } else {
                evidence.add(smoke.run(files, m.group(1)));
            }
        }
        return evidence;
    }

    /** The bundle's database.types.ts (db-architect's), else one the user gave among the files. */
    private static String databaseTypes(TaskEvent task) {
        for (Artifact a : task.artifacts()) {
            if (a.kind() == ArtifactKind.TYPES && a.name() != null && a.name().endsWith("database.types.ts")) {
                return a.content();
            }
        }
        for (FileInput f : task.inputs().files()) {
            if (f.path() != null && f.path().endsWith("database.types.ts")) {
                return f.content();
            }
        }
        return null;
    }

    /** Per entity of the spec, its fields declared {@code unique: true}. */
    private static Map<String, Set<String>> uniques(JsonNode spec) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (spec == null) {
            return out;
        }
        for (JsonNode e : spec.path("entities")) {
            Set<String> cols = new LinkedHashSet<>();
            e.path("fields").fields().forEachRemaining(f -> {
                if (f.getValue().path("unique").asBoolean(false)) {
                    cols.add(f.getKey());
                }
            });
            out.put(e.path("name").asText(), cols);
        }
        return out;
    }
}
