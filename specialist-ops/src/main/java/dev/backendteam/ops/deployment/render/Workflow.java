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
            switch (d.kind()) {
                case QUARKUS, JAVA_MAVEN -> steps.add("""
                              - uses: actions/setup-java@v4
                                with:
                                  distribution: temurin
                                  java-version: "%s"
                                  cache: maven
                              - name: Test (Maven, every module)
                                run: %s -B -ntp verify
                        """.formatted(d.runtime(), files.contains("mvnw") ? "./mvnw" : "mvn"));
                case NODE -> steps.add("""
                              - uses: actions/setup-node@v4
                                with:
                                  node-version: "%s"
                              - name: Test %s
                                working-directory: %s
                                run: %s && npm test --if-present
                        """.formatted(d.runtime(), d.name(), prefix.isEmpty() ? "." : prefix,
                        d.build().lockFile() == null ? "npm install" : "npm ci"));
                case PYTHON -> steps.add("""
                              - uses: actions/setup-python@v5
                                with:
                                  python-version: "%s"
                              - name: Test %s
                                working-directory: %s
                                run: pip install -r requirements.txt pytest && python -m pytest
                        """.formatted(d.runtime(), d.name(), prefix.isEmpty() ? "." : prefix));
                case DENO -> steps.add("""
                              - uses: denoland/setup-deno@v2
                                with:
                                  deno-version: v2.x
                              - name: Test %s
                                working-directory: %s
                                run: deno test --allow-all
                        """.formatted(d.name(), prefix.isEmpty() ? "." : prefix));
                case GO -> steps.add("""
                              - uses: actions/setup-go@v5
                                with:
                                  go-version: "%s"
                              - name: Test %s
                                working-directory: %s
                                run: go test ./...
                        """.formatted(d.runtime(), d.name(), prefix.isEmpty() ? "." : prefix));
            }
        }
        StringBuilder deploy = new StringBuilder();
        for (Deployable d : deployables) {
            deploy.append("      - name: Deploy ").append(d.name()).append('\n')
                    .append("        run: railway up --ci --service ").append(d.name()).append('\n');
        }
        String test = String.join("", steps);
        return Template.fill("deploy-workflow.yml", Map.of("testSteps", test.stripTrailing(),
                "deploySteps", deploy.toString().stripTrailing()));
    }

}
