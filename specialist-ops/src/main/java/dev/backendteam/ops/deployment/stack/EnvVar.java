package dev.backendteam.ops.deployment.stack;

/**
 * An environment variable a service reads, as its configuration names it ({@code ${NAME:default}}).
 * {@code secret}: its name looks like a credential, so it is only ever set by reference, never by value.
 */
public record EnvVar(String name, String defaultValue, boolean secret, String source) {

    public boolean required() {
        return defaultValue == null;
    }
}
