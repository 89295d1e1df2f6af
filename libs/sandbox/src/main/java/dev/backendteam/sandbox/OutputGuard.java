package dev.backendteam.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one sandbox database's connections may read, and what was dropped or cut. pgjdbc instantiates
 * {@link BoundedSocketFactory} reflectively, from a class name and one string: that string is this guard's key in a
 * small registry, so the sockets of a database's connections (its session, the cancel requests, a reconnect) find
 * their bounds and report to the same place. Registered by {@link SandboxDatabase}, removed when it closes.
 *
 * <p>"Per statement" is per exchange: the counters of a connection restart at every ReadyForQuery, and at every
 * {@link #beginStatement()} — the only reset an encrypted connection sees.
 */
final class OutputGuard implements AutoCloseable {
    private static final Map<String, OutputGuard> REGISTRY = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String key;
    private final OutputLimits limits;
    private final AtomicLong statement = new AtomicLong();
    private final AtomicLong droppedNotices = new AtomicLong();
    private final AtomicReference<OutputCut> cut = new AtomicReference<>();
    private volatile boolean filtering = true;
    private volatile String delegateFactory;
    private volatile String delegateFactoryArg;

    private OutputGuard(String key, OutputLimits limits) {
        this.key = key;
        this.limits = limits;
    }

    /** A new guard, reachable by {@link #lookup(String)} until closed. */
    static OutputGuard register(OutputLimits limits) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        OutputGuard g = new OutputGuard(HexFormat.of().formatHex(bytes), limits);
        REGISTRY.put(g.key, g);
        return g;
    }

    /** A guard that is not registered: for the protocol filter's unit tests. */
    static OutputGuard unregistered(OutputLimits limits) {
        return new OutputGuard("unregistered", limits);
    }

    static OutputGuard lookup(String key) {
        return key == null ? null : REGISTRY.get(key);
    }

    static int registered() {
        return REGISTRY.size();
    }

    String key() {
        return key;
    }

    OutputLimits limits() {
        return limits;
    }

    /** Before each statement: new counters on every connection, nothing dropped or cut yet. */
    void beginStatement() {
        droppedNotices.set(0);
        cut.set(null);
        statement.incrementAndGet();
    }

    /** Increases with every {@link #beginStatement()}; a connection restarts its counters when it changes. */
    long statement() {
        return statement.get();
    }

    void noticeDropped() {
        droppedNotices.incrementAndGet();
    }

    /** Notices of the current statement dropped on the wire. */
    long droppedNotices() {
        return droppedNotices.get();
    }

    /** The first cut of the current statement wins. */
    void cut(OutputCut c) {
        cut.compareAndSet(null, c);
    }

    /** Why the current statement's output was cut off, or null. */
    OutputCut cut() {
        return cut.get();
    }

    /**
     * Off: connections opened from now on pass everything through unframed — to prove in tests that the bounds
     * come from the filter. Only pgjdbc's {@code maxResultBuffer} remains.
     */
    void filtering(boolean on) {
        filtering = on;
    }

    boolean filtering() {
        return filtering;
    }

    /** A socket factory of the admin URL ({@code socketFactory}, {@code socketFactoryArg}) that makes the sockets. */
    void delegate(String factoryClass, String factoryArg) {
        delegateFactory = factoryClass;
        delegateFactoryArg = factoryArg;
    }

    String delegateFactory() {
        return delegateFactory;
    }

    String delegateFactoryArg() {
        return delegateFactoryArg;
    }

    @Override
    public void close() {
        REGISTRY.remove(key, this);
    }
}
