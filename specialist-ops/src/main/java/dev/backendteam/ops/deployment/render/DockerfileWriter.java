package dev.backendteam.ops.deployment.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.ops.deployment.docker.Words;
import dev.backendteam.ops.deployment.stack.Deployable;

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
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", d.name());
        v.put("dockerfile", d.dockerfilePath());
        v.put("port", String.valueOf(d.port()));
        v.put("healthPath", d.healthPath());
        v.put("runtime", d.runtime());
        v.put("context", d.dir().isEmpty() ? "." : d.dir());
        Deployable.BuildFacts b = d.build();
        switch (d.kind()) {
            case QUARKUS, JAVA_MAVEN -> {
                v.put("buildImage", BaseImages.pick(images.maven(), d.runtime()));
                v.put("runtimeImage", BaseImages.pick(images.jre(), d.runtime()));
                v.put("copyPoms", b.moduleDirs().stream()
                        .map(m -> m.isEmpty() ? "COPY pom.xml ./" : "COPY " + m + "/pom.xml " + m + "/")
                        .collect(Collectors.joining("\n")));
                v.put("copySources", b.sourceDirs().stream()
                        .map(m -> m.isEmpty() ? "COPY src src" : "COPY " + m + "/src " + m + "/src")
                        .collect(Collectors.joining("\n")));
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
        return Template.fill("dockerfile-" + d.kind().template(), v);
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
