package dev.backendteam.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the orchestrator; every one can be set by environment (BACKEND_TEAM_STEP_DEADLINE=…). */
@ConfigMapping(prefix = "backend-team")
public interface OrchestratorConfig {

    /** How long a specialist may take for one step before it counts as timed out. */
    @WithDefault("120s")
    Duration stepDeadline();

    /**
     * What a service's steps (work and validate) may take instead of {@link #stepDeadline()}, by service id:
     * {@code backend-team.step-deadlines."query-optimizer"=300s}, or BACKEND_TEAM_STEP_DEADLINES_QUERY_OPTIMIZER.
     */
    Map<String, Duration> stepDeadlines();

    /** Retries of a step that timed out, crashed or failed transiently (BRIEF §2: at most twice). */
    @WithDefault("2")
    int maxRetries();

    /** How many handoffs one job may chain. */
    @WithDefault("3")
    int maxHandoffDepth();

    /** API keys, comma-separated, each {@code name:key} (or a bare key). None: loopback only, one local owner. */
    Optional<String> apiKeys();

    /** The owner of jobs that arrive on backend-team.jobs.requested and match no rule of {@link #eventsOwners()}. */
    @WithDefault("events")
    String eventsOwner();

    /** Rules {@code <ce_source>=<owner>}, comma-separated: an event's job to an API key ({@link EventOwners}). */
    Optional<String> eventsOwners();

    /**
     * Job submissions and answers each owner (API key) may make per minute on this gateway replica; past it a 429
     * with Retry-After. 0: no limit.
     */
    @WithDefault("120")
    int submissionsPerMinute();

    /**
     * Submissions (jobs and answers) this gateway replica handles at once, all keys together; past it a 503 with
     * Retry-After, before the request waits for a worker thread. 0: no bound.
     */
    @WithDefault("64")
    int submissionsInFlight();

    /** Largest request body the gateway accepts. */
    @WithDefault("1048576")
    int maxRequestBytes();

    /** How often steps past their deadline are looked for. */
    @WithDefault("1s")
    String deadlineScan();

    /** How often jobs waiting for the AI planner are looked for (only with a model configured). */
    @WithDefault("1s")
    String plannerScan();

    /**
     * Target databases, {@code BACKEND_TEAM_TARGET_<NAME>_URL} (read-only credentials). Only their names are used
     * by the gateway; see {@link TargetRegistry}.
     */
    Map<String, Target> target();

    interface Target {
        Optional<String> url();
    }

    Llm llm();

    interface Llm {
        /**
         * The model tokens (in and out) one job may spend, its steps' and the orchestrator's own calls together: every
         * task carries what is left, and a model call that would exceed it fails its step with the reason. 0: no model
         * calls at all (the deterministic path only).
         */
        @WithDefault("200000")
        long jobTokenBudget();

        /**
         * none (the default: the deterministic path), openai, anthropic or ollama; read with the settings below by
         * {@code ModelChoice}, which also checks them at start.
         */
        @WithDefault("none")
        String provider();

        /** Each provider's server, key and model: {@code backend-team.llm.openai.base-url} and so on. */
        @WithParentName
        Map<String, Provider> providers();

        Optional<String> timeout();

        Optional<String> attempts();

        Optional<String> backoff();

        Optional<String> maxWait();

        Optional<String> toolRounds();

        interface Provider {
            Optional<String> baseUrl();

            Optional<String> apiKey();

            Optional<String> model();
        }
    }

    Topics topics();

    Outbox outbox();

    Routing routing();

    interface Routing {
        /**
         * Match tasks against the example phrasings of flow-examples.yaml with the in-process embedding model too,
         * where the build carries it (Maven profile {@code embeddings}, not in a native image). Off: keywords and
         * inputs only, as without the model.
         */
        @WithDefault("true")
        boolean embeddings();

        /**
         * Where the matcher unpacks the model (86 MiB, once per version) and the native libraries of ONNX runtime and
         * of the tokenizer; none: {@code <java.io.tmpdir>/backend-team-routing}.
         */
        Optional<String> workDirectory();

        /**
         * How long the model stays loaded after the last task that needed it: then its session is closed and the
         * memory handed back (about 30 MB; the next such task loads it again, 1.3–3.5 s). Zero: after every task.
         */
        @WithDefault("5m")
        Duration modelKeepAlive();
    }

    interface Topics {
        /** Create the contract's topics at start-up (with partitions and the message size limit). */
        @WithDefault("true")
        boolean provision();

        /** Partitions per topic; keep it ≥ the replicas of any specialist. */
        @WithDefault("3")
        int partitions();

        /** 1 on the embedded single broker; 3 on a production cluster. */
        @WithDefault("1")
        short replicationFactor();
    }

    interface Outbox {
        /** How often the relay looks for rows when nothing woke it. */
        @WithDefault("200ms")
        Duration pollInterval();

        @WithDefault("200")
        int batchSize();
    }
}
