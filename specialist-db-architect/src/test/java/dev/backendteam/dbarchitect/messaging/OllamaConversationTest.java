package dev.backendteam.dbarchitect.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;

/** The model conversation with ollama chosen at run time. */
@QuarkusTest
@TestProfile(OllamaConversationTest.Profile.class)
class OllamaConversationTest extends ModelProviderConversation {

    OllamaConversationTest() {
        super("ollama", "llama3.1");
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderStub.class, Map.of("provider", "ollama"), true));
        }
    }
}
