package dev.backendteam.orchestrator.config;

import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.FlowExamples;
import dev.backendteam.orchestrator.engine.TaskMatcher;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineProducerTest {

    private final FlowCatalog catalog = FlowCatalog.fromClasspath();

    /** Records what it was created with. */
    private static final class RecordingProvider implements TaskMatcher.Provider {
        final AtomicReference<FlowExamples> examples = new AtomicReference<>();
        final AtomicReference<Path> workDirectory = new AtomicReference<>();
        final AtomicReference<Duration> keepAlive = new AtomicReference<>();
        final TaskMatcher matcher = new TaskMatcher() {
            @Override
            public Optional<Match> match(String text) {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "recording";
            }
        };

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public TaskMatcher create(FlowExamples given, Path directory, Duration keep) {
            examples.set(given);
            workDirectory.set(directory);
            keepAlive.set(keep);
            return matcher;
        }
    }

    @Test
    void anInstalledMatcherGetsTheExamplesTheWorkDirectoryAndTheKeepAlive() {
        RecordingProvider provider = new RecordingProvider();
        Optional<TaskMatcher> matcher = EngineProducer.matcher(true, List.of(provider), catalog, Path.of("work"),
                Duration.ofMinutes(7));
        assertSame(provider.matcher, matcher.orElseThrow());
        assertEquals(catalog.routing().keySet(), provider.examples.get().flows().keySet());
        assertEquals(Path.of("work"), provider.workDirectory.get());
        assertEquals(Duration.ofMinutes(7), provider.keepAlive.get());
    }

    @Test
    void switchedOffOrNotInTheBuildThereIsNoMatcher() {
        RecordingProvider provider = new RecordingProvider();
        assertTrue(EngineProducer.matcher(false, List.of(provider), catalog, Path.of("work"), Duration.ZERO).isEmpty());
        assertNull(provider.examples.get(), "switched off, the provider is not even created");
        assertTrue(EngineProducer.matcher(true, List.of(), catalog, Path.of("work"), Duration.ZERO).isEmpty());
    }

    @Test
    void aNegativeKeepAliveIsRefusedAtStart() {
        RecordingProvider provider = new RecordingProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineProducer.matcher(true,
                List.of(provider), catalog, Path.of("work"), Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("BACKEND_TEAM_ROUTING_MODEL_KEEP_ALIVE"), e.getMessage());
        assertNull(provider.examples.get());
    }
}
