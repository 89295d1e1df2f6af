package dev.backendteam.ops.deployment.render;

import dev.backendteam.ops.deployment.stack.Deployable;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes {@code DEPLOY.md}: the files, services, environment variables, health advice and rollback steps. */
public final class DeployGuide {

    public String write(String project, List<Deployable> deployables, List<RailwayConfig.Wiring> wiring,
            Map<String, String> files, List<String> notes) {
        String fileRows = files.entrySet().stream().map(e -> "| `" + e.getKey() + "` | " + e.getValue() + " |")
                .collect(Collectors.joining("\n"));
        String services = deployables.stream().map(d -> "| " + d.name() + " | `" + d.dockerfilePath() + "` ("
                + d.kind().template() + ") | `" + d.healthPath() + "`" + (d.healthBuiltIn() ? "" : " (to add)")
                + " | " + (d.publicHttp() ? "public" : "private") + " |").collect(Collectors.joining("\n"));
        String vars = wiring.isEmpty() ? "| – | – | – | none named by the configuration |" : wiring.stream()
                .map(w -> "| " + w.service() + " | `" + w.variable() + "` | "
                        + (w.value() == null ? "(its default)" : "`" + w.value().replace("|", "\\|") + "`")
                        + " | " + w.needed() + " |").collect(Collectors.joining("\n"));
        String publics = deployables.stream().filter(Deployable::publicHttp)
                .map(d -> "`railway domain --service " + d.name() + "`").collect(Collectors.joining(", "));
        String noteText = notes.isEmpty() ? "" : "\n## Notes\n" + notes.stream().map(n -> "- " + n)
                .collect(Collectors.joining("\n")) + "\n";
        return Template.fill("DEPLOY.md", Map.of("project", project, "files", fileRows, "services", services,
                "variables", vars, "publicDomains", publics.isEmpty() ? "none is public" : publics,
                "notes", noteText));
    }
}
