package dev.backendteam.contract.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run by a native build only (the parent pom's {@code native} profile runs each service's NativeSourcesCheck in
 * {@code verify}): reads the reflection and resource configuration Quarkus generated for native-image (in the runner
 * jar of target/native-sources, or of target/*-native-image-source-jar) and checks it holds what
 * {@link NativeImageContract} requires, so that the registrations are known to reach native-image, not only to be
 * declared. native-image itself is not run here: see README "Native images".
 */
public abstract class NativeSourcesContract {
    /** Jars of libraries that must stay out of a native image (the orchestrator's JVM-only embedding model). */
    private static final Pattern JVM_ONLY = Pattern.compile("(onnxruntime|ai\\.djl|langchain4j-embeddings).*\\.jar");

    private final NativeImageContract service;

    protected NativeSourcesContract(NativeImageContract service) {
        this.service = service;
    }

    private Path runnerJar() {
        Path target = NativeReadiness.classRoot(service.service()).getParent();
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(target)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                String name = dir.getFileName().toString();
                if (name.equals("native-sources") || name.endsWith("-native-image-source-jar")) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).forEach(candidates::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(1, candidates.size(), () -> "one native runner jar under " + target + " (build with -Dnative "
                + "-Dquarkus.native.sources-only=true): " + candidates);
        return candidates.get(0);
    }

    private JsonNode generated(String name) {
        try (FileSystem jar = FileSystems.newFileSystem(runnerJar());
                InputStream in = Files.newInputStream(jar.getPath("META-INF/native-image/" + name))) {
            return Json.events().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyRequiredTypeIsRegisteredWithItsConstructorsMethodsAndFields() {
        Map<String, JsonNode> reflect = new HashMap<>();
        generated("reflect-config.json").forEach(entry -> reflect.put(entry.path("name").asText(), entry));
        NativeReadiness classes = NativeReadiness.of(service.roots(), getClass().getClassLoader());
        Set<String> required = new TreeSet<>(classes.jacksonTypes());
        required.addAll(NativeReadiness.recordsAndEnums(NativeReadiness.classRoot(Json.class)));
        required.addAll(classes.registrations().targets());
        Set<String> missing = new TreeSet<>();
        for (String type : required) {
            JsonNode entry = reflect.get(type);
            boolean complete = entry != null
                    && (entry.path("allDeclaredConstructors").asBoolean() || entry.path("allPublicConstructors").asBoolean())
                    && (entry.path("allDeclaredMethods").asBoolean() || entry.path("allPublicMethods").asBoolean())
                    && (entry.path("allDeclaredFields").asBoolean() || entry.path("allPublicFields").asBoolean());
            if (!complete) {
                missing.add(type);
            }
        }
        assertFalse(required.isEmpty());
        assertEquals(Set.of(), missing, "not in the generated reflect-config.json with constructors, methods and fields");
    }

    @Test
    void everyResourceIsInTheGeneratedResourceConfig() {
        List<Pattern> patterns = new ArrayList<>();
        generated("resource-config.json").path("resources").path("includes")
                .forEach(p -> patterns.add(Pattern.compile(p.path("pattern").asText())));
        Set<String> missing = new TreeSet<>();
        int checked = 0;
        for (Path root : service.roots()) {
            Predicate<String> shipped = NativeReadiness.shippedResourceConfig(root);
            for (String resource : NativeReadiness.resources(root)) {
                if (NativeReadiness.buildTimeOnly(resource)) {
                    continue;
                }
                checked++;
                if (patterns.stream().noneMatch(p -> p.matcher(resource).matches()) && !shipped.test(resource)) {
                    missing.add(resource);
                }
            }
        }
        assertTrue(checked > 0);
        assertEquals(Set.of(), missing, "resources neither in the generated resource-config.json nor in a library's");
    }

    @Test
    void noJvmOnlyLibraryIsInTheNativeImage() throws IOException {
        Path lib = runnerJar().resolveSibling("lib");
        try (Stream<Path> jars = Files.exists(lib) ? Files.walk(lib) : Stream.empty()) {
            List<String> jvmOnly = jars.map(j -> j.getFileName().toString())
                    .filter(n -> JVM_ONLY.matcher(n).matches()).toList();
            assertEquals(List.of(), jvmOnly, "build the native image with -Dnative, which leaves the embeddings out");
        }
    }
}
