package dev.backendteam.contract;

/** Version of the event contract carried in every message's {@code version} field and CloudEvents type. */
public final class Contract {
    public static final int VERSION = 1;
    public static final String SOURCE_PREFIX = "urn:backend-team:";

    private Contract() {
    }
}
