package dev.backendteam.ops.deployment.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.ops.deployment.docker.Words;
import dev.backendteam.ops.deployment.stack.Deployable;
import dev.backendteam.ops.deployment.stack.StackKind;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a deployable's multi-stage Dockerfile from its stack's template ({@code templates/dockerfile-<stack>}). */
public final class DockerfileWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BaseImages images;

    public DockerfileWriter(BaseImages images) {
        this.images = images;
    }

    public String write(Deployable d) {
        return Template.fill("dockerfile-" + d.kind().template(), values(d, false));
    }

    /** A Quarkus service's native-image Dockerfile ({@code templates/dockerfile-quarkus-native}). */
    public String writeNative(Deployable d) {
        if (d.kind() != StackKind.QUARKUS) {
            throw new IllegalArgumentException(d.name() + " is " + d.kind().template() + ": only Quarkus builds native");
        }
        return Template.fill("dockerfile-quarkus-native", values(d, true));
    }

    private Map<String, String> values(Deployable d, boolean nativeImage) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", d.name());
        v.put("dockerfile", nativeImage ? d.nativeDockerfilePath() : d.dockerfilePath());
        v.put("port", String.valueOf(d.port()));
        v.put("healthPath", d.healthPath());
        v.put("runtime", d.runtime());
        v.put("context", d.dir().isEmpty() ? "." : d.dir());
        Deployable.BuildFacts b = d.build();
        switch (d.kind()) {
            case QUARKUS, JAVA_MAVEN -> {
                // the native builder runs as its own user, who must own what the build writes beside the sources
                String copy = nativeImage ? "COPY --chown=quarkus:quarkus " : "COPY ";
                v.put("buildImage", BaseImages.pick(images.maven(), d.runtime()));
                v.put("mavenImage", BaseImages.pick(images.maven(), d.runtime()));
                v.put("builderImage", images.nativeBuilder());
                v.put("runtimeImage", nativeImage ? images.nativeRuntime() : BaseImages.pick(images.jre(), d.runtime()));
                v.put("copyPoms", b.moduleDirs().stream()
                        .map(m -> m.isEmpty() ? copy + "pom.xml ./" : copy + m + "/pom.xml " + m + "/")
                        .collect(Collectors.joining("\n")));
                v.put("copySources", b.sourceDirs().stream()
                        .map(m -> m.isEmpty() ? copy + "src src" : copy + m + "/src " + m + "/src")
                        .collect(Collectors.joining("\n")));
                toolchains(b.toolchains(), v, "/deployments");
                v.put("select", d.dir().isEmpty() ? "" : "-pl " + d.dir() + " -am");
                v.put("modules", String.join(", ", b.sourceDirs().stream().map(m -> m.isEmpty() ? "." : m).toList()));
                v.put("target", d.dir().isEmpty() ? "target" : d.dir() + "/target");
            }
            case NODE -> {
                v.put("buildImage", BaseImages.pick(images.node(), d.runtime()));
                String lock = b.lockFile();
                v.put("manifests", lock == null ? "package.json" : "package.json " + lock);
                v.put("install", lock == null ? "npm install --no-audit --no-fund"
                        : lock.equals("package-lock.json") ? "npm ci --no-audit --no-fund"
                        : lock.equals("pnpm-lock.yaml") ? "corepack enable && pnpm install --frozen-lockfile"
                        : "corepack enable && yarn install --frozen-lockfile");
                v.put("build", b.buildScript() ? "npm run build" : "echo \"no build script\"");
                v.put("start", exec(b.startCommand()));
            }
            case PYTHON -> {
                v.put("buildImage", BaseImages.pick(images.python(), d.runtime()));
                boolean requirements = "requirements.txt".equals(b.lockFile());
                v.put("manifests", requirements ? "requirements.txt" : "pyproject.toml");
                v.put("install", requirements ? "pip install --no-cache-dir -r requirements.txt"
                        : "pip install --no-cache-dir .");
                v.put("start", exec("sh -c \"exec " + b.startCommand().replace("\"", "\\\"") + "\""));
            }
            case DENO -> {
                v.put("buildImage", BaseImages.pick(images.deno(), d.runtime()));
                v.put("manifests", "deno.json*");
                v.put("install", "deno install");
                v.put("start", exec(b.startCommand()));
            }
            case GO -> {
                v.put("buildImage", BaseImages.pick(images.go(), "default"));
                v.put("runtimeImage", images.goRuntime());
                v.put("manifests", b.lockFile() == null ? "go.mod" : "go.mod go.sum");
                v.put("install", "go mod download");
            }
        }
        return v;
    }

    /**
     * The toolchain stages (one per module toolchain: its lock file installed by the module's own install step, Node
     * included when the lock pins it), their copies into the runtime image under {@code home}, the variables that
     * point the service at them, and the Maven flags that skip the module build's own install.
     */
    private void toolchains(List<Deployable.Toolchain> toolchains, Map<String, String> v, String home) {
        StringBuilder stages = new StringBuilder();
        StringBuilder copies = new StringBuilder();
        StringBuilder skip = new StringBuilder();
        StringBuilder env = new StringBuilder();
        for (Deployable.Toolchain t : toolchains) {
            String stage = (t.module().isEmpty() ? "root" : t.module().replaceAll("[^A-Za-z0-9]+", "-")
                    .toLowerCase(java.util.Locale.ROOT)) + "-toolchain";
            String module = t.module().isEmpty() ? "" : t.module() + "/";
            stages.append("# The toolchain ").append(t.module().isEmpty() ? "the service" : t.module())
                    .append(" runs (").append(t.path()).append("), installed from its lock file as its Maven\n")
                    .append("# build does, in a stage of its own: cached until the lock file or the module's resources"
                            + " change.\n")
                    .append("FROM ").append(BaseImages.pick(images.node(), t.nodeMajor())).append(" AS ").append(stage)
                    .append('\n')
                    .append("WORKDIR /build\n")
                    .append("COPY ").append(t.path()).append("/ ").append(t.path()).append("/\n")
                    .append("# the install step may read the module's resources\n")
                    .append("COPY ").append(module).append("src/main/resources/ ").append(module)
                    .append("src/main/resources/\n")
                    .append("WORKDIR /build/").append(t.path()).append('\n')
                    .append("RUN ").append(exec(String.join(" ", java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(t.executable()), t.arguments().stream()).toList())))
                    .append("\n\n");
            copies.append("# ").append(t.path()).append(": the toolchain, where ")
                    .append(t.variable() == null ? "the service looks for them" : t.variable() + " points the service")
                    .append('\n')
                    .append("COPY --from=").append(stage).append(" --chown=10001:0 /build/").append(t.path())
                    .append("/ ").append(home).append('/').append(t.path()).append("/\n");
            if (t.skipProperty() != null) {
                skip.append(" -D").append(t.skipProperty()).append("=true");
            }
            if (t.variable() != null) {
                env.append(' ').append(t.variable()).append('=').append(home).append('/').append(t.path());
            }
        }
        v.put("toolchainStages", stages.toString());
        v.put("toolchainCopies", copies.toString());
        v.put("skipToolchains", skip.toString());
        v.put("toolchainEnv", env.toString());
        boolean node = !toolchains.isEmpty();
        v.put("packages", node ? " libstdc++" : "");
        v.put("packagesWhy", node ? ", and the C++ runtime the toolchain's Node needs" : "");
    }

    /** A command line as the JSON exec form (so the process is PID 1 and gets SIGTERM). */
    static String exec(String command) {
        List<String> words = Words.split(command);
        try {
            return JSON.writeValueAsString(words).replace("\",\"", "\", \"");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
