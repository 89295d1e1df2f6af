package dev.backendteam.orchestrator.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowExamplesTest {

    private static FlowExamples yaml(String text) {
        return FlowExamples.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyRoutedFlowHasExamplesAndNoneIsRepeated() {
        FlowCatalog catalog = FlowCatalog.fromClasspath();
        FlowExamples examples = FlowExamples.fromClasspath().checkedAgainst(catalog);
        assertEquals(catalog.routing().keySet(), examples.flows().keySet());
        Set<String> seen = new HashSet<>();
        examples.flows().forEach((flow, phrasings) -> {
            assertTrue(phrasings.size() >= 8, flow + " has " + phrasings.size() + " examples");
            phrasings.forEach(p -> assertTrue(seen.add(p.toLowerCase(Locale.ROOT)), "repeated: " + p));
        });
    }

    @Test
    void anUnknownFlowOrAFlowWithoutExamplesIsRefused() {
        FlowCatalog catalog = FlowCatalog.fromClasspath();
        FlowExamples typo = yaml("flows:\n  bugs: [it crashes]\n");
        assertThrows(IllegalArgumentException.class, () -> typo.checkedAgainst(catalog));
        RuntimeException empty = assertThrows(RuntimeException.class, () -> yaml("flows:\n  bug: []\n"));
        assertTrue(String.valueOf(empty.getCause()).contains("flow 'bug' has no examples"), empty::toString);
        assertEquals(List.of("it crashes"), yaml("flows:\n  bug: ['  it crashes ', '']\n").flows().get("bug"));
    }
}
