package dev.backendteam.sandbox;

/** The sandbox could not do what was asked (server unreachable, admin lacking a privilege, budget spent, …). */
public class SandboxException extends RuntimeException {

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
