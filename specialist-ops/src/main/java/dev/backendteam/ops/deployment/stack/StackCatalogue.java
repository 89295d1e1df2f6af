package dev.backendteam.ops.deployment.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The detector's data ({@code stack.yaml}): dependencies that mean a backing service, public HTTP, runnable jars. */
public record StackCatalogue(Map<String, Map<String, List<String>>> backingServices, Map<String, List<String>> publicHttp,
        List<String> runnableJarPlugins, List<String> quarkusPlugins, String quarkusHealth) {
    public static final String RESOURCE = "/dev/backendteam/ops/deployment/stack.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static StackCatalogue standard() {
        try (InputStream in = StackCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return YAML.readValue(in, StackCatalogue.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The backing services ({@code postgres}, {@code kafka}, …) these dependencies of an ecosystem imply. */
    public java.util.Set<String> needs(String ecosystem, java.util.Collection<String> dependencies) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        backingServices.forEach((service, byEcosystem) -> {
            for (String d : byEcosystem.getOrDefault(ecosystem, List.of())) {
                if (dependencies.contains(d)) {
                    out.add(service);
                }
            }
        });
        return out;
    }
}
