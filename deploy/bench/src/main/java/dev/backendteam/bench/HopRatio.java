package dev.backendteam.bench;

/**
 * The orchestration overhead per Kafka hop, as a multiple of the raw round trip:
 * <pre>
 *   per-hop latency = job latency p50 / hops on the job's critical path
 *   ratio           = per-hop latency / raw Kafka produce→consume round trip p50
 * </pre>
 * A hop is one record produced by one process and consumed by another (task out: orchestrator outbox relay →
 * broker → specialist; result back: specialist → broker → orchestrator). Everything else a job spends — the REST
 * call, the job-store transactions, the outbox relay's wake-up, consumer queues, the engines — is spread over the
 * hops, which is the point: a ratio of 1.0 would mean the orchestration costs nothing beyond the broker itself.
 */
public record HopRatio(double jobP50Ms, int hops, double perHopMs, double rawRoundTripP50Ms, double ratio) {

    public static HopRatio of(double jobP50Ms, int hops, double rawRoundTripP50Ms) {
        if (hops <= 0) {
            throw new IllegalArgumentException("a job with no hops has no per-hop overhead");
        }
        if (!(rawRoundTripP50Ms > 0)) {
            throw new IllegalArgumentException("the raw round trip must be positive, not " + rawRoundTripP50Ms);
        }
        double perHop = jobP50Ms / hops;
        return new HopRatio(jobP50Ms, hops, perHop, rawRoundTripP50Ms, perHop / rawRoundTripP50Ms);
    }

    public boolean meets(double targetRatio) {
        return ratio <= targetRatio;
    }
}
