package dev.backendteam.bench;

import java.nio.file.Path;
import java.util.List;

/** The command-line frame the bench's programs share: --help, options parsed or exit 2, the run's exit code. */
final class ProgramMain {
    interface Parser<O> {
        O parse(Path root, String[] args);
    }

    interface Program<O> {
        int run(O options) throws Exception;
    }

    private ProgramMain() {
    }

    static <O> void run(String name, String usage, String[] args, Parser<O> parser, Program<O> program)
            throws Exception {
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            System.out.println(usage);
            System.exit(0);
        }
        Path root = Path.of(System.getProperty("backend-team.root", ".")).toAbsolutePath().normalize();
        O options;
        try {
            options = parser.parse(root, args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        System.exit(program.run(options));
    }
}
