package dev.backendteam.ops.deployment.docker;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

import java.util.Map;
import java.util.Objects;

/**
 * One rule of the Dockerfile lint catalogue as {@code docker/rules.yaml} states it. {@code message} and {@code fix}
 * are templates: {@code {name}} is filled from the instruction at fault.
 */
public record DockerfileRule(String id, Severity severity, String title, String message, String fix, String doc) {

    public DockerfileRule {
        Objects.requireNonNull(id, "id");
    }

    /** The finding this rule raises on {@code object} (the Dockerfile's path) at {@code line}, its templates filled. */
    public Finding finding(String object, Integer line, Map<String, String> values) {
        return new Finding(id, severity, object, fill(message, values), fill(fix, values), line);
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace("{" + v.getKey() + "}", v.getValue());
        }
        return out;
    }
}
