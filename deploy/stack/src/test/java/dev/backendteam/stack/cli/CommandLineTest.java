package dev.backendteam.stack.cli;

import dev.backendteam.stack.cli.CommandLine.Command;
import dev.backendteam.stack.cli.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {
    private static final Path ROOT = Path.of("/repo");
    private static final Path CWD = Path.of("/repo/sub");

    private static CommandLine parse(String... args) {
        return CommandLine.parse(List.of(args), Map.of(), ROOT, CWD);
    }

    private static CommandLine parse(Map<String, String> env, String... args) {
        return CommandLine.parse(List.of(args), env, ROOT, CWD);
    }

    private static String refusal(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void runTakesAJobFileAndDefaultsToTheRepositoryStateFolder() {
        CommandLine c = parse("run", "deploy/examples/new-feature.yaml");
        assertEquals(Command.RUN, c.command());
        assertEquals(List.of("deploy/examples/new-feature.yaml"), c.operands());
        assertEquals(Path.of("/repo/.backend-team"), c.stateDirectory());
        assertNull(c.outDirectory(), "null = out/<job id> in the repository");
        assertEquals(Map.of(), c.ports(), "no port set: the stack's defaults apply");
    }

    @Test
    void optionsMayComeBeforeOrAfterTheCommandAndWithAnEqualsSign() {
        CommandLine c = parse("--state", "st", "run", "job.json", "--out=../o");
        assertEquals(Path.of("/repo/sub/st"), c.stateDirectory(), "relative to the working directory");
        assertEquals(Path.of("/repo/o"), c.outDirectory());
    }

    @Test
    void theGatewayPortMovesTheSpecialistsAlong() {
        assertEquals(Map.of("orchestrator", 9080, "specialist-db-architect", 9081, "specialist-security", 9082,
                "specialist-query-optimizer", 9083, "specialist-ops", 9084), parse("up", "--port", "9080").ports());
        assertEquals(0, parse("up", "--port", "0").ports().get("specialist-ops"), "0: every service on a free port");
    }

    @Test
    void singleComponentsByFullOrShortNameAndOverTheGatewayPort() {
        CommandLine c = parse("up", "--port", "9080", "--ports", "ops=9999, postgres=5433,gateway=7000,kafka=0,"
                + "specialist-security=7002,kafka-controller=7003");
        assertEquals(7000, c.ports().get("orchestrator"));
        assertEquals(9999, c.ports().get("specialist-ops"));
        assertEquals(7002, c.ports().get("specialist-security"));
        assertEquals(9081, c.ports().get("specialist-db-architect"));
        assertEquals(5433, c.ports().get("postgres"));
        assertEquals(0, c.ports().get("kafka"));
        assertEquals(7003, c.ports().get("kafka-controller"));
    }

    @Test
    void environmentGivesDefaultsAndOptionsWin() {
        Map<String, String> env = Map.of("BACKEND_TEAM_PORT", "7080", "BACKEND_TEAM_PORTS", "postgres=5999",
                "BACKEND_TEAM_STATE", "/tmp/st", "BACKEND_TEAM_OUT", "/tmp/out");
        CommandLine fromEnv = parse(env, "run", "j.yaml");
        assertEquals(7080, fromEnv.ports().get("orchestrator"));
        assertEquals(5999, fromEnv.ports().get("postgres"));
        assertEquals(Path.of("/tmp/st"), fromEnv.stateDirectory());
        assertEquals(Path.of("/tmp/out"), fromEnv.outDirectory());
        CommandLine overridden = parse(env, "run", "j.yaml", "--port", "8090", "--state", "/x", "--out", "/y");
        assertEquals(8090, overridden.ports().get("orchestrator"));
        assertEquals(8091, overridden.ports().get("specialist-db-architect"));
        assertEquals(5999, overridden.ports().get("postgres"), "not set by an option: the environment's stays");
        assertEquals(Path.of("/x"), overridden.stateDirectory());
        assertEquals(Path.of("/y"), overridden.outDirectory());
        assertNull(parse(env, "up").outDirectory(), "BACKEND_TEAM_OUT concerns run only, and is no error for up");
    }

    @Test
    void filesAttachesAProjectFolderToRunOnly() {
        assertEquals(Path.of("/repo"), parse("run", "deploy.yaml", "--files", "..").filesFolder());
        assertNull(parse("run", "deploy.yaml").filesFolder());
        assertTrue(refusal("up", "--files", ".").contains("--files applies to run only"));
        assertTrue(refusal("run", "deploy.yaml", "--files").contains("--files needs a value"));
    }

    @Test
    void logsTakesAComponentAndFollows() {
        CommandLine c = parse("logs", "orchestrator", "-f");
        assertEquals(Command.LOGS, c.command());
        assertEquals(List.of("orchestrator"), c.operands());
        assertTrue(c.follow());
        assertTrue(parse("logs", "--follow", "kafka").follow());
    }

    @Test
    void helpWinsWherevereItIs() {
        assertEquals(Command.HELP, parse("run", "--help").command());
        assertEquals(Command.HELP, parse("-h").command());
        assertEquals(Command.HELP, parse("help").command());
        assertEquals(Command.HELP, parse("--prot", "1", "--help").command(), "even after a mistake");
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("no command given", refusal());
        assertEquals("no command given", refusal("--port", "8080"));
        assertTrue(refusal("start").startsWith("unknown command 'start'"));
        assertEquals("unknown option --prot", refusal("up", "--prot", "1"));
        assertTrue(refusal("run").startsWith("run needs a job file"));
        assertTrue(refusal("run", "a.json", "b.json").startsWith("run takes one job file"));
        assertTrue(refusal("logs").startsWith("logs needs a component"));
        assertTrue(refusal("status", "now").startsWith("status takes no arguments"));
        assertEquals("--port needs a value", refusal("up", "--port"));
        assertEquals("--state needs a value", refusal("up", "--state", "--port", "1"));
        assertEquals("--port: 'http' is not a port number", refusal("up", "--port", "http"));
        assertEquals("--port: port 70000 is outside 0–65535", refusal("up", "--port", "70000"));
        assertTrue(refusal("up", "--port", "65534").contains("would pass 65535"));
        assertTrue(refusal("up", "--ports", "redis=6379").startsWith("--ports: unknown component 'redis'"));
        assertTrue(refusal("up", "--ports", "8080").contains("is not component=port"));
        assertEquals("--out applies to run only", refusal("up", "--out", "x"));
        assertEquals("-f/--follow applies to logs only", refusal("status", "-f"));
        assertTrue(assertThrows(UsageException.class, () -> parse(Map.of("BACKEND_TEAM_PORT", "x"), "up"))
                .getMessage().startsWith("BACKEND_TEAM_PORT:"), "the environment variable is named");
    }

    @Test
    void theHelpTextDocumentsEveryCommandAndOption() throws IOException {
        String help;
        try (InputStream in = Launcher.class.getResourceAsStream(Launcher.HELP)) {
            help = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String option : CommandLine.OPTIONS) {
            assertTrue(help.contains(option), option + " is not in help.txt");
        }
        for (Command command : Command.values()) {
            if (command != Command.HELP) {
                assertTrue(help.contains("./backend-team " + command.word), command.word + " is not in help.txt");
            }
        }
        for (String variable : List.of("BACKEND_TEAM_PORT", "BACKEND_TEAM_PORTS", "BACKEND_TEAM_STATE",
                "BACKEND_TEAM_OUT", "BACKEND_TEAM_API_KEYS", "BACKEND_TEAM_SERVICE_JAVA",
                "BACKEND_TEAM_STARTUP_CACHE")) {
            assertTrue(help.contains(variable), variable + " is not in help.txt");
        }
        assertTrue(help.lines().allMatch(l -> l.length() <= 110), "help.txt fits a terminal");
    }

    @Test
    void replicasForEverySpecialistOrPerSpecialist() {
        assertEquals(Map.of("specialist-db-architect", 2, "specialist-security", 2, "specialist-query-optimizer", 2,
                "specialist-ops", 2), parse("up", "--replicas", "2").replicas());
        assertEquals(Map.of("specialist-security", 3), parse("run", "job.yaml", "--replicas=security=3,ops=1").replicas());
        assertEquals(Map.of("specialist-ops", 2), parse(Map.of("BACKEND_TEAM_REPLICAS", "specialist-ops=2"), "up").replicas());
        assertEquals(Map.of(), parse("up").replicas());
        assertEquals("--replicas: replicas of specialist-security must be 1 to 9, got '0'",
                refusal("up", "--replicas", "security=0"));
        assertEquals("--replicas: replicas are for the specialists, not orchestrator", refusal("up", "--replicas", "gateway=2"));
        assertTrue(refusal("up", "--replicas", "lots").startsWith("--replicas: 'lots' is not specialist=count"));
        assertEquals("--replicas applies to run and up only", refusal("status", "--replicas", "2"));
        assertEquals("specialist-security-2", CommandLine.component("security-2", "logs"));
        assertEquals("specialist-ops-3", CommandLine.component("specialist-ops-3", "logs"));
        assertThrows(UsageException.class, () -> CommandLine.component("orchestrator-2", "logs"));
    }
}
