package dev.backendteam.security.engine.matrix;

/** A cell's verdict: allowed (with its rows), refused by RLS, refused by the grant layer, or another error. */
public enum Verdict {
    ALLOW("allow"), DENY_RLS("deny-rls"), DENY_GRANT("deny-grant"), ERROR("error");

    private final String wire;

    Verdict(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
