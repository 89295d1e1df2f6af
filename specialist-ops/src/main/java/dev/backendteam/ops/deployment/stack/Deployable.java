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

    /**
     * @param moduleDirs     every module of the Maven build (their poms are copied first: Maven reads the whole reactor)
     * @param sourceDirs     the modules this one is built with (itself and the library modules it depends on)
     * @param lockFile       Node: package-lock.json, yarn.lock, pnpm-lock.yaml or null
     * @param startCommand   the command that starts it, when the stack does not imply one
     * @param buildScript    Node: whether package.json has a build script
     */
    public record BuildFacts(List<String> moduleDirs, List<String> sourceDirs, String lockFile, String startCommand,
            boolean buildScript) {
        public BuildFacts {
            moduleDirs = List.copyOf(moduleDirs);
            sourceDirs = List.copyOf(sourceDirs);
        }
    }
}
