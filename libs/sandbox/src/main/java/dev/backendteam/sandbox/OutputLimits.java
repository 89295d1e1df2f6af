package dev.backendteam.sandbox;

/**
 * What the sandbox reads back from one statement at most (see {@link SandboxSettings}): bytes of rows, bytes of any
 * other single message, bytes in all, and notices kept.
 */
record OutputLimits(long maxResultBytes, long maxMessageBytes, long maxOutputBytes, int maxNotices) {

    static OutputLimits of(SandboxSettings s) {
        return new OutputLimits(s.maxResultBytes(), s.maxMessageBytes(), s.maxOutputBytes(), s.maxNotices());
    }
}
