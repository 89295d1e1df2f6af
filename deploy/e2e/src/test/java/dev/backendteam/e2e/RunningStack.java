package dev.backendteam.e2e;

import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.StackConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts the whole system once per test JVM — PostgreSQL, the Kafka broker and the five packaged services as
 * separate processes — and stops it when the JVM's test run ends. The broker's only client listener is SASL_SSL
 * (PLAIN, self-signed certificate), as on a managed Kafka: every service reaches it through the {@code KAFKA_*}
 * variables alone, and the tests' own clients through {@code LocalStack#kafkaClientProperties()}.
 */
public class RunningStack implements BeforeAllCallback {
    static final String ALICE_KEY = "alice-key-0123456789abcdef";
    static final String BOB_KEY = "bob-key-0123456789abcdef";

    private static LocalStack stack;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (stack != null) {
            return;
        }
        Path root = Path.of(System.getProperty("backend-team.root", "../..")).toAbsolutePath().normalize();
        StackConfig config = StackConfig.builder(root)
                .stateDirectory(root.resolve(StackConfig.STATE_FOLDER).resolve("e2e"))
                .freePorts()
                .stopLeftovers(true)
                .startupTimeout(Duration.ofSeconds(180))
                .kafkaSaslSsl("PLAIN")
                .environment(StackConfig.ORCHESTRATOR, "BACKEND_TEAM_API_KEYS",
                        "alice:" + ALICE_KEY + ",bob:" + BOB_KEY)
                .environment(StackConfig.ORCHESTRATOR, "BACKEND_TEAM_STEP_DEADLINE", "60s")
                // a small generated data set: enough rows for the planner to prefer an index, few enough for CI
                .environment("specialist-query-optimizer", "BACKEND_TEAM_OPTIMIZER_ROW_BUDGET", "20000")
                .build();
        stack = LocalStack.start(config);
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(RunningStack.class.getName(),
                (AutoCloseable) () -> stack.close());
    }

    static LocalStack stack() {
        return stack;
    }
}
