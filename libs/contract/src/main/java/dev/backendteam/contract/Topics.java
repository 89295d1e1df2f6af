package dev.backendteam.contract;

/** Kafka topic names of BRIEF §3. A channel in every service is named exactly like its topic. */
public final class Topics {
    public static final String TASKS_PREFIX = "backend-team.tasks.";
    public static final String RESULTS = "backend-team.results";
    public static final String JOBS_REQUESTED = "backend-team.jobs.requested";
    public static final String JOBS_ANSWERS = "backend-team.jobs.answers";
    public static final String JOBS_UPDATES = "backend-team.jobs.updates";
    public static final String JOBS_COMPLETED = "backend-team.jobs.completed";
    public static final String DLQ_PREFIX = "backend-team.dlq.";

    private Topics() {
    }

    public static String tasks(Specialist specialist) {
        return TASKS_PREFIX + specialist.id();
    }

    public static String deadLetters(String channel) {
        String suffix = channel.startsWith("backend-team.") ? channel.substring("backend-team.".length()) : channel;
        return DLQ_PREFIX + suffix;
    }
}
