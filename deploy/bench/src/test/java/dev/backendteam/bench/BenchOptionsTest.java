package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {
    private static final Path CWD = Path.of("/repo");

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(List.of(args), CWD, Map.of());
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaultsAreTheIssuesFigures() {
        BenchOptions o = parse();
        assertFalse(o.start());
        assertNull(o.gateway());
        assertEquals(200, o.jobs());
        assertEquals(16, o.concurrency());
        assertEquals(20, o.warmup());
        assertEquals("bug", o.flow());
        assertEquals("sse", o.follow());
        assertEquals(500, o.roundTrips());
        assertEquals(Duration.ofSeconds(120), o.jobTimeout());
        assertEquals(Duration.ofMinutes(15), o.timeout());
        assertEquals(CWD, o.root());
    }

    @Test
    void bothSpellingsOfAValueAreAccepted() {
        BenchOptions o = parse("--start", "--jobs", "50", "--concurrency=4", "--timeout", "5m", "--job-timeout=90s",
                "--flow", "new-feature", "--root", "sub", "--follow", "kafka");
        assertTrue(o.start());
        assertEquals(50, o.jobs());
        assertEquals(4, o.concurrency());
        assertEquals(Duration.ofMinutes(5), o.timeout());
        assertEquals(Duration.ofSeconds(90), o.jobTimeout());
        assertEquals("new-feature", o.flow());
        assertEquals("kafka", o.follow());
        assertEquals(Path.of("/repo/sub"), o.root());
    }

    @Test
    void aBodyFileIsResolvedAgainstTheWorkingDirectory() {
        assertEquals(Path.of("/repo/deploy/examples/bug.json"), parse("--body", "deploy/examples/bug.json").body());
        assertNull(parse().body());
    }

    @Test
    void attachingTakesLoopbackAddressesOnly() {
        BenchOptions o = parse("--gateway", "http://127.0.0.1:8080/", "--bootstrap", "localhost:9092");
        assertEquals("http://127.0.0.1:8080", o.gateway(), "trailing slash dropped");
        assertEquals("localhost:9092", o.bootstrap());
        assertTrue(refusal("--gateway", "http://10.0.0.5:8080").contains("loopback"));
        assertTrue(refusal("--bootstrap", "kafka.example.com:9092").contains("loopback"));
        assertTrue(refusal("--bootstrap", "127.0.0.1").contains("host:port"));
    }

    @Test
    void startAndAttachExcludeEachOther() {
        assertTrue(refusal("--start", "--gateway", "http://127.0.0.1:8080").contains("one or the other"));
    }

    @Test
    void numbersAreBounded() {
        assertTrue(refusal("--jobs", "0").contains("1 to 100000"));
        assertTrue(refusal("--concurrency", "1000").contains("1 to 256"));
        assertTrue(refusal("--jobs", "many").contains("whole number"));
        assertTrue(refusal("--timeout", "1s").contains("10 s"));
        assertTrue(refusal("--timeout", "soon").contains("duration"));
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(refusal("--job", "5").contains("unknown option --job"));
        assertTrue(refusal("--jobs").contains("needs a value"));
        assertTrue(refusal("--jobs", "--start").contains("needs a value"));
        assertTrue(refusal("--start=yes").contains("takes no value"));
        assertTrue(refusal("--jobs", "1", "--jobs", "2").contains("twice"));
        assertTrue(refusal("--flow", "deployment").contains("one of"));
        assertTrue(refusal("--follow", "poll").contains("sse or kafka"));
        assertTrue(refusal("--flow", "bug", "--body", "job.json").contains("not both"));
    }

    @Test
    void durationsInSeveralSpellings() {
        assertEquals(Duration.ofMillis(500), BenchOptions.parseDuration("500ms", "x"));
        assertEquals(Duration.ofSeconds(90), BenchOptions.parseDuration("90", "x"));
        assertEquals(Duration.ofHours(1), BenchOptions.parseDuration("1h", "x"));
        assertEquals(Duration.ofMinutes(5), BenchOptions.parseDuration("PT5M", "x"));
    }

    @Test
    void theApiKeyMayComeFromTheEnvironment() {
        BenchOptions o = BenchOptions.parse(List.of(), CWD, Map.of("BENCH_API_KEY", "k-0123456789abcdef"));
        assertEquals("k-0123456789abcdef", o.apiKey());
    }
}
