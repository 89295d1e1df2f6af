package dev.backendteam.dbarchitect.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;

/** The model conversation with anthropic chosen at run time. */
@QuarkusTest
@TestProfile(AnthropicConversationTest.Profile.class)
class AnthropicConversationTest extends ModelProviderConversation {

    AnthropicConversationTest() {
        super("anthropic", "claude-sonnet-4-5");
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderStub.class, Map.of("provider", "anthropic"), true));
        }
    }
}
