package dev.backendteam.ops.deployment.stack;

/** The stacks the deployment role writes a Dockerfile for. */
public enum StackKind {
    QUARKUS("quarkus"), JAVA_MAVEN("java-maven"), NODE("node"), PYTHON("python"), DENO("deno"), GO("go");

    private final String template;

    StackKind(String template) {
        this.template = template;
    }

    /** The Dockerfile template's name under {@code templates/dockerfile-<name>}. */
    public String template() {
        return template;
    }
}
