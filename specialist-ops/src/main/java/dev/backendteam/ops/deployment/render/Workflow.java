package dev.backendteam.ops.deployment.render;

import dev.backendteam.ops.deployment.stack.Deployable;
import dev.backendteam.ops.deployment.stack.StackKind;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes {@code .github/workflows/deploy.yml}: a test job per stack, and a deploy job that needs it. */
public final class Workflow {

    public String write(List<Deployable> deployables, Set<String> files) {
        Set<String> steps = new LinkedHashSet<>();
        for (Deployable d : deployables) {
            String prefix = d.dir().isEmpty() ? "" : d.dir();
            String dir = prefix.isEmpty() ? "." : prefix;
            switch (d.kind()) {
                case QUARKUS, JAVA_MAVEN -> steps.add(steps("actions/setup-java@v4", "distribution: temurin\n"
                        + "java-version: \"" + d.runtime() + "\"\ncache: maven", "Test (Maven, every module)", ".",
                        (files.contains("mvnw") ? "./mvnw" : "mvn") + " -B -ntp verify"));
                case NODE -> steps.add(steps("actions/setup-node@v4", "node-version: \"" + d.runtime() + "\"",
                        "Test " + d.name(), dir, (d.build().lockFile() == null ? "npm install" : "npm ci")
                                + " && npm test --if-present"));
                case PYTHON -> steps.add(steps("actions/setup-python@v5", "python-version: \"" + d.runtime() + "\"",
                        "Test " + d.name(), dir, "pip install -r requirements.txt pytest && python -m pytest"));
                case DENO -> steps.add(steps("denoland/setup-deno@v2", "deno-version: v2.x", "Test " + d.name(), dir,
                        "deno test --allow-all"));
                case GO -> steps.add(steps("actions/setup-go@v5", "go-version: \"" + d.runtime() + "\"",
                        "Test " + d.name(), dir, "go test ./..."));
            }
        }
        StringBuilder deploy = new StringBuilder();
        for (Deployable d : deployables) {
            deploy.append("      - name: Deploy ").append(d.name()).append('\n')
                    .append("        run: railway up --ci --service ").append(d.name()).append('\n');
        }
        for (Deployable d : deployables) {
            if (d.publicHttp()) {
                // one Railway-generated domain per service: made once, shown again on later runs
                deploy.append("      - name: Give ").append(d.name()).append(" its public domain\n")
                        .append("        run: railway domain --service ").append(d.name()).append('\n');
            }
        }
        String test = String.join("", steps);
        return Template.fill("deploy-workflow.yml", Map.of("testSteps", test.stripTrailing(),
                "deploySteps", deploy.toString().stripTrailing()));
    }

    /** A test job's steps for one stack: set up its toolchain ({@code with} lines), then run its tests. */
    private static String steps(String uses, String with, String name, String dir, String run) {
        StringBuilder out = new StringBuilder("      - uses: ").append(uses).append("\n        with:\n");
        with.lines().forEach(l -> out.append("          ").append(l).append('\n'));
        out.append("      - name: ").append(name).append('\n');
        if (!dir.equals(".")) {
            out.append("        working-directory: ").append(dir).append('\n');
        }
        return out.append("        run: ").append(run).append('\n').toString();
    }

}
