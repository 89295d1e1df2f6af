package dev.backendteam.stack.cli;

import dev.backendteam.stack.StackConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's arguments: one command, its operands and the options (help.txt documents them). Environment
 * variables give defaults, options win. Relative paths are resolved against the caller's working directory.
 *
 * @param ports         component → port (0 = any free port), only the ones the user set; names as in
 *                      {@link #COMPONENTS}
 * @param outDirectory  {@code run}: where the bundle goes; null = {@code <root>/out/<job id>}
 * @param filesFolder   {@code run --files}: a project whose build and configuration files join the job's
 *                      {@code files} (a deployment job); null = none
 * @param replicas      {@code --replicas}: instances per specialist, where more than one
 */
public record CommandLine(Command command, List<String> operands, Path stateDirectory, Path outDirectory,
                          Map<String, Integer> ports, boolean follow, Path filesFolder, Map<String, Integer> replicas) {

    public enum Command {
        RUN("run", 1), UP("up", 0), DOWN("down", 0), STATUS("status", 0), LOGS("logs", 1), HELP("help", 0);

        final String word;
        final int operands;

        Command(String word, int operands) {
            this.word = word;
            this.operands = operands;
        }
    }

    public static final String POSTGRES = "postgres";
    public static final String KAFKA = "kafka";
    public static final String KAFKA_CONTROLLER = "kafka-controller";
    /** Every component whose port can be set, in start order. */
    public static final List<String> COMPONENTS;
    /** The options this parser knows; help.txt must mention each (a test checks). */
    static final Set<String> OPTIONS = Set.of("--port", "--ports", "--state", "--out", "--files", "--replicas",
            "-f", "--follow", "-h", "--help");

    static {
        List<String> all = new ArrayList<>(List.of(POSTGRES, KAFKA, KAFKA_CONTROLLER));
        all.addAll(StackConfig.ALL_SERVICES);
        COMPONENTS = List.copyOf(all);
    }

    public CommandLine {
        operands = List.copyOf(operands);
        ports = Map.copyOf(ports);
        replicas = Map.copyOf(replicas);
    }

    /**
     * @param args the arguments after the script name
     * @param env  the environment ({@code BACKEND_TEAM_PORT}, {@code _PORTS}, {@code _STATE}, {@code _OUT})
     * @param root the repository folder (default state folder)
     * @param cwd  what relative paths are relative to
     */
    public static CommandLine parse(List<String> args, Map<String, String> env, Path root, Path cwd) {
        if (args.contains("-h") || args.contains("--help")) {
            return new CommandLine(Command.HELP, List.of(), resolve(cwd, root, env.get("BACKEND_TEAM_STATE")), null,
                    Map.of(), false, null, Map.of());
        }
        Command command = null;
        List<String> operands = new ArrayList<>();
        String state = env.get("BACKEND_TEAM_STATE");
        String out = env.get("BACKEND_TEAM_OUT");
        boolean outOption = false;
        String files = null;
        String replicas = env.get("BACKEND_TEAM_REPLICAS");
        String replicasSource = "BACKEND_TEAM_REPLICAS";
        boolean follow = false;
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (present(env.get("BACKEND_TEAM_PORT"))) {
            gatewayPort(env.get("BACKEND_TEAM_PORT"), "BACKEND_TEAM_PORT", ports);
        }
        if (present(env.get("BACKEND_TEAM_PORTS"))) {
            componentPorts(env.get("BACKEND_TEAM_PORTS"), "BACKEND_TEAM_PORTS", ports);
        }
        Map<String, Integer> optionPorts = new LinkedHashMap<>();
        String optionPort = null;
        String optionComponentPorts = null;

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inline = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                name = arg.substring(0, arg.indexOf('='));
                inline = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "-f", "--follow" -> follow = true;
                case "--port", "--ports", "--state", "--out", "--files", "--replicas" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("-") && !args.get(i + 1).equals("-")) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (name) {
                        case "--port" -> optionPort = value;
                        case "--ports" -> optionComponentPorts = value;
                        case "--state" -> state = value;
                        case "--files" -> files = value;
                        case "--replicas" -> {
                            replicas = value;
                            replicasSource = "--replicas";
                        }
                        default -> {
                            out = value;
                            outOption = true;
                        }
                    }
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw new UsageException("unknown option " + arg);
                    }
                    if (command == null) {
                        command = command(arg);
                    } else {
                        operands.add(arg);
                    }
                }
            }
        }
        if (optionPort != null) {
            gatewayPort(optionPort, "--port", optionPorts);
        }
        if (optionComponentPorts != null) {
            componentPorts(optionComponentPorts, "--ports", optionPorts);
        }
        ports.putAll(optionPorts);

        if (command == null) {
            throw new UsageException("no command given");
        }
        if (operands.size() != command.operands) {
            throw new UsageException(switch (command) {
                case RUN -> operands.isEmpty() ? "run needs a job file, e.g. run deploy/examples/new-feature.yaml"
                        : "run takes one job file, got " + operands.size() + ": " + operands;
                case LOGS -> operands.isEmpty() ? "logs needs a component, e.g. logs orchestrator"
                        : "logs takes one component, got " + operands.size() + ": " + operands;
                default -> command.word + " takes no arguments, got " + operands;
            });
        }
        if (follow && command != Command.LOGS) {
            throw new UsageException("-f/--follow applies to logs only");
        }
        if (outOption && command != Command.RUN) {
            throw new UsageException("--out applies to run only");
        }
        if (files != null && command != Command.RUN) {
            throw new UsageException("--files applies to run only");
        }
        Map<String, Integer> replicaCounts = present(replicas) ? replicas(replicas, replicasSource) : Map.of();
        if (!replicaCounts.isEmpty() && command != Command.RUN && command != Command.UP) {
            throw new UsageException(replicasSource + " applies to run and up only");
        }
        Path outDirectory = command == Command.RUN && present(out) ? cwd.resolve(out).toAbsolutePath().normalize()
                : null;
        return new CommandLine(command, operands, resolve(cwd, root, state), outDirectory, ports, follow,
                files == null ? null : cwd.resolve(files).toAbsolutePath().normalize(), replicaCounts);
    }

    /** {@code 2} (every specialist) or {@code security=2,ops=3}; counts of 1 are left out. */
    private static Map<String, Integer> replicas(String value, String source) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> specialists = StackConfig.ALL_SERVICES.subList(1, StackConfig.ALL_SERVICES.size());
        if (value.trim().matches("\\d+")) {
            specialists.forEach(s -> counts.put(s, count(value.trim(), source, s)));
        } else {
            for (String entry : value.split(",")) {
                String e = entry.trim();
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException(source + ": '" + e + "' is not specialist=count (e.g. security=2,ops=2),"
                            + " nor one count for every specialist");
                }
                String service = component(e.substring(0, eq).trim(), source);
                if (!specialists.contains(service)) {
                    throw new UsageException(source + ": replicas are for the specialists, not " + service);
                }
                counts.put(service, count(e.substring(eq + 1).trim(), source, service));
            }
        }
        counts.values().removeIf(n -> n == 1);
        return counts;
    }

    private static int count(String value, String source, String service) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 9) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(source + ": replicas of " + service + " must be 1 to 9, got '" + value + "'");
    }

    private static Path resolve(Path cwd, Path root, String state) {
        return present(state) ? cwd.resolve(state).toAbsolutePath().normalize()
                : root.resolve(StackConfig.STATE_FOLDER).toAbsolutePath().normalize();
    }

    private static Command command(String word) {
        for (Command c : Command.values()) {
            if (c.word.equals(word)) {
                return c;
            }
        }
        throw new UsageException("unknown command '" + word + "'; commands: run, up, down, status, logs");
    }

    /** The gateway's port; the four specialists follow it (n+1…n+4), or are free ports too if it is 0. */
    private static void gatewayPort(String value, String source, Map<String, Integer> ports) {
        int port = port(value, source);
        List<String> services = StackConfig.ALL_SERVICES;
        for (int i = 0; i < services.size(); i++) {
            int p = port == 0 ? 0 : port + i;
            if (p > 65535) {
                throw new UsageException(source + " " + port + ": the specialists take the next "
                        + (services.size() - 1) + " ports, which would pass 65535");
            }
            ports.put(services.get(i), p);
        }
    }

    private static void componentPorts(String value, String source, Map<String, Integer> ports) {
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(source + ": '" + e + "' is not component=port"
                        + " (e.g. orchestrator=9080,postgres=5433)");
            }
            ports.put(component(e.substring(0, eq).trim(), source), port(e.substring(eq + 1).trim(), source));
        }
    }

    /** A component by its name, or a service by its short name (db-architect) or as the gateway. */
    public static String component(String name, String source) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("gateway")) {
            return StackConfig.ORCHESTRATOR;
        }
        if (COMPONENTS.contains(n)) {
            return n;
        }
        if (COMPONENTS.contains("specialist-" + n)) {
            return "specialist-" + n;
        }
        if (StackConfig.isReplica(n) || StackConfig.isReplica("specialist-" + n)) {
            return n.startsWith("specialist-") ? n : "specialist-" + n; // a replica's logs: security-2
        }
        throw new UsageException(source + ": unknown component '" + name + "'; known: gateway, "
                + String.join(", ", COMPONENTS) + " (specialists also without 'specialist-')");
    }

    private static int port(String value, String source) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new UsageException(source + ": port " + port + " is outside 0–65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(source + ": '" + value + "' is not a port number");
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** The command line is wrong; the message says how, and the launcher points at --help. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
