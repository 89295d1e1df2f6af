package dev.backendteam.contract.nativeimage;

import dev.backendteam.contract.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every service's NativeConfigurationTest asserts, in the JVM build, about its native image: the types Jackson
 * maps by reflection are registered, and the resources read from the classpath are included. A service names one
 * class of its own, one of each library it brings, and a few types it knows its mappers read (so that an analysis
 * finding nothing cannot pass).
 */
public abstract class NativeImageContract {
    public static final String INCLUDES = "quarkus.native.resources.includes";
    private static final String ANTHROPIC = "dev.langchain4j.model.anthropic.AnthropicChatModel";

    /** A class of the service itself (its target/classes). */
    protected abstract Class<?> service();

    /** A class of each project library on the service's class path (contract, sandbox, specialist-runtime). */
    protected abstract List<Class<?>> libraries();

    /** Binary names (a.b.C$D) of types the service's mappers are known to read: the analysis must find these. */
    protected abstract Set<String> knownMappedTypes();

    List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        roots.add(NativeReadiness.classRoot(service()));
        libraries().forEach(l -> roots.add(NativeReadiness.classRoot(l)));
        roots.add(NativeReadiness.classRoot(Json.class));
        return roots.stream().distinct().toList();
    }

    private NativeReadiness classes() {
        return NativeReadiness.of(roots(), getClass().getClassLoader());
    }

    @Test
    void everyRecordAndEnumOfTheContractIsRegistered() {
        Set<String> contract = NativeReadiness.recordsAndEnums(NativeReadiness.classRoot(Json.class));
        assertTrue(contract.contains("dev.backendteam.contract.TaskEvent"), contract::toString);
        assertEquals(Set.of(), classes().registrations().missing(contract),
                "records and enums of the contract (read and written by its ObjectMapper) not in a "
                        + "@RegisterForReflection(targets = …) of this service or its libraries");
    }

    @Test
    void everyTypeJacksonMapsIsRegistered() {
        NativeReadiness classes = classes();
        Set<String> mapped = classes.jacksonTypes();
        for (String known : knownMappedTypes()) {
            assertTrue(mapped.contains(known), () -> known + " not found among " + mapped);
        }
        assertEquals(Set.of(), classes.registrations().missing(mapped),
                "types a Jackson mapper reads or writes by reflection not in a @RegisterForReflection");
    }

    /** Where the service brings langchain4j-anthropic, whose wire format (internal.api) Jackson maps by reflection. */
    @Test
    void everyClassOfAnthropicsWireFormatIsRegistered() throws ClassNotFoundException {
        Path jar = NativeReadiness.classRoot(Class.forName(ANTHROPIC, false, getClass().getClassLoader()));
        Set<String> wire = new TreeSet<>();
        for (String resource : NativeReadiness.classes(jar)) {
            if (resource.startsWith("dev/langchain4j/model/anthropic/internal/api/")) {
                wire.add(resource.substring(0, resource.length() - ".class".length()).replace('/', '.'));
            }
        }
        assertFalse(wire.isEmpty(), "no wire-format classes in " + jar);
        assertEquals(Set.of(), classes().registrations().missing(wire),
                "classes of langchain4j-anthropic's wire format not in a @RegisterForReflection");
    }

    @Test
    void everyRegisteredNameIsAClass() {
        Set<String> unknown = new TreeSet<>();
        for (String name : classes().registrations().targets()) {
            try {
                Class.forName(name, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                unknown.add(name);
            }
        }
        assertEquals(Set.of(), unknown, "registered for reflection but no such class");
    }

    @Test
    void everyResourceIsInTheNativeImage() {
        Path own = NativeReadiness.classRoot(service());
        String includes = applicationProperty(own, INCLUDES);
        assertNotNull(includes, INCLUDES + " missing from application.properties");
        Predicate<String> included = NativeReadiness.globs(includes);
        Set<String> missing = new TreeSet<>();
        int checked = 0;
        for (Path root : roots()) {
            Predicate<String> shipped = NativeReadiness.shippedResourceConfig(root);
            for (String resource : NativeReadiness.resources(root)) {
                if (NativeReadiness.includedByQuarkus(resource)) {
                    continue;
                }
                checked++;
                if (!included.test(resource) && !shipped.test(resource)) {
                    missing.add(resource);
                }
            }
        }
        assertFalse(checked == 0, "no resources found");
        assertEquals(Set.of(), missing, "resources not matched by " + INCLUDES + " (nor by a library's "
                + "META-INF/native-image resource-config.json)");
    }

    static String applicationProperty(Path classRoot, String key) {
        Path file = classRoot.resolve("application.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(key);
    }
}
