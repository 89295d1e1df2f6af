package dev.backendteam.ops.deployment.stack;

import java.util.List;
import java.util.Set;

/**
 * One thing to deploy: a service built from {@code dir} ({@code ""} for the repository root) with its own Dockerfile.
 * {@code port} is the port it binds when {@code PORT} is not set; {@code readsPort} says whether it reads
 * {@code PORT} at all. {@code healthPath} is its readiness endpoint ({@code healthBuiltIn}: the stack serves it, e.g.
 * SmallRye Health; otherwise it is advice). {@code needs} names backing services ({@code postgres}, {@code kafka},
 * {@code redis}); {@code publicHttp} marks a service that serves users (it gets a public domain).
 *
 * @param runtime the language runtime version ({@code 17} for Java, {@code 22} for Node…)
 * @param build   stack-specific facts the Dockerfile needs (lock file kind, start command, sibling modules)
 */
public record Deployable(String name, String dir, StackKind kind, int port, boolean readsPort, String healthPath,
        boolean healthBuiltIn, String runtime, Set<String> needs, boolean publicHttp, List<EnvVar> env,
        BuildFacts build) {

    public Deployable {
        needs = Set.copyOf(needs);
        env = List.copyOf(env);
    }

    /** The Dockerfile's path in the repository. */
    public String dockerfilePath() {
        return dir.isEmpty() ? "Dockerfile" : dir + "/Dockerfile";
    }

    /** The native image's Dockerfile beside it (Quarkus only). */
    public String nativeDockerfilePath() {
        return dockerfilePath() + ".native";
    }

    /**
     * A module's checkers that its Maven build installs from a lock file ({@code <module>/<dir>/package.json} and its
     * lock, installed by an exec-maven-plugin execution in that folder): the image installs them in a stage of its
     * own, copies them in, and tells the service where they are in {@code variable} (null: the service has no such
     * setting, so it looks in its working directory). {@code skipProperty} skips the build's own install step.
     */
    public record Toolchain(String module, String dir, String executable, List<String> arguments,
            String skipProperty, String variable, String nodeMajor) {
        public Toolchain {
            arguments = List.copyOf(arguments);
        }

        /** The folder in the repository. */
        public String path() {
            return module.isEmpty() ? dir : module + "/" + dir;
        }
    }

    /**
     * @param moduleDirs     every module of the Maven build (their poms are copied first: Maven reads the whole reactor)
     * @param sourceDirs     the modules this one is built with (itself and the library modules it depends on)
     * @param lockFile       Node: package-lock.json, yarn.lock, pnpm-lock.yaml or null
     * @param startCommand   the command that starts it, when the stack does not imply one
     * @param buildScript    Node: whether package.json has a build script
     * @param toolchains     Maven: the toolchains of the modules it is built with (see {@link Toolchain})
     */
    public record BuildFacts(List<String> moduleDirs, List<String> sourceDirs, String lockFile, String startCommand,
            boolean buildScript, List<Toolchain> toolchains) {
        public BuildFacts {
            moduleDirs = List.copyOf(moduleDirs);
            sourceDirs = List.copyOf(sourceDirs);
            toolchains = List.copyOf(toolchains);
        }

        public BuildFacts(List<String> moduleDirs, List<String> sourceDirs, String lockFile, String startCommand,
                boolean buildScript) {
            this(moduleDirs, sourceDirs, lockFile, startCommand, buildScript, List.of());
        }
    }
}
