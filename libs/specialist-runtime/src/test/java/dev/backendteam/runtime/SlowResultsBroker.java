package dev.backendteam.runtime;

import dev.backendteam.contract.Topics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.SubscriberDecorator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.List;

/**
 * Test only (in the runtime's test-jar, active in every service test): delays each result before the in-memory sink
 * sees (and acknowledges) it, as a broker round trip would, so that a task acknowledged before its result is caught.
 */
@ApplicationScoped
public class SlowResultsBroker implements SubscriberDecorator {
    static final Duration ROUND_TRIP = Duration.ofMillis(300);

    @Override
    public Multi<? extends Message<?>> decorate(Multi<? extends Message<?>> toBeSubscribed, List<String> channelName,
            boolean isConnector) {
        if (!isConnector || !channelName.contains(Topics.RESULTS)) {
            return toBeSubscribed;
        }
        return toBeSubscribed.onItem().call(m -> Uni.createFrom().voidItem().onItem().delayIt().by(ROUND_TRIP));
    }
}
