package dev.backendteam.ops.functions;

import dev.backendteam.contract.Evidence;
import dev.backendteam.ops.deployment.check.TypeScriptCheck;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves one delivered function with Deno on a free loopback port, sends it the requests its kind must answer a
 * certain way, and always stops it. The bundle's code runs confined: an emptied environment holding only the dummy
 * values of the variables it names ({@code --allow-env=<those names>}) and the network of its own port and the closed
 * dummy Supabase port ({@code --allow-net=127.0.0.1:<port>,127.0.0.1:9}), so it can neither read the service's secrets
 * nor reach the sandbox Postgres. A webhook rejects a bad signature, none, a valid one of another body and (GitHub)
 * one without its {@code sha256=} prefix (401), a stale Stripe timestamp (401) and a
 * well-signed body of the wrong shape (400, typed), and takes a well-signed real event as far as its database call
 * (500 {@code database_error} here, as nothing listens) or acknowledges it (200) when it stores nothing; a scheduled
 * job rejects a call without the scheduler's secret, with a wrong one of the same length and with a prefix of it (401),
 * and with it answers 2xx, or 500 {@code database_error} when it reads a table, or 502 {@code upstream_failed} when it
 * emails; an HTTP function answers the CORS preflight and refuses a call without a JWT (401). Once Deno has started,
 * anything else (no answer, a reset, the function's crash) fails the smoke; it is {@code not_run} only when Deno
 * cannot be started. What needs a database or a provider is not covered.
 */
public final class FunctionSmoke {
    private static final Pattern VERIFY = Pattern.compile(
            "await (verifyStripe|verifyGithub|verifyHmac)\\(raw, req\\.headers\\.get\\(\"([^\"]+)\"\\), requireEnv\\(\"([^\"]+)\"\\)\\)");
    private static final Pattern ENV = Pattern.compile("requireEnv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    /** Optional variables ({@code ALLOWED_ORIGIN}): readable, and unset but for the preflight origin. */
    private static final Pattern OPTIONAL_ENV = Pattern.compile("Deno\\.env\\.get\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    /** Where the dummy Supabase URL points: a closed loopback port (discard), so every database call fails. */
    static final String SUPABASE_HOST = "127.0.0.1:9";
    /** The site an HTTP function is served for here ({@code ALLOWED_ORIGIN}), and the preflight's Origin. */
    static final String PREFLIGHT_ORIGIN = "http://127.0.0.1";
    static final String SECRET = "smoke-test-secret";
    /** A Stripe event as Stripe sends it (trimmed): payment_intent.succeeded. */
    private static final String STRIPE_EVENT = "{\"id\":\"evt_3Smoke\",\"object\":\"event\",\"api_version\":"
            + "\"2025-10-29.clover\",\"created\":{{now}},\"livemode\":false,\"type\":\"payment_intent.succeeded\","
            + "\"data\":{\"object\":{\"id\":\"pi_3Smoke\",\"object\":\"payment_intent\",\"amount\":2000,"
            + "\"currency\":\"usd\",\"status\":\"succeeded\",\"customer\":\"cus_Smoke\","
            + "\"receipt_email\":\"buyer@example.com\"}},\"pending_webhooks\":1,\"request\":{\"id\":null}}";
    /**
     * A GitHub issues delivery (trimmed): it carries every value the catalogue maps (an action, the repository, the
     * sender), so a function whose NOT NULL columns come from them reaches its database call; a generic HMAC sender's
     * body is any JSON object.
     */
    private static final String GITHUB_EVENT = "{\"action\":\"opened\",\"issue\":{\"number\":1347,\"title\":"
            + "\"Found a bug\"},\"repository\":{\"id\":1,\"full_name\":\"octo-org/octo-repo\"},\"sender\":"
            + "{\"login\":\"octocat\"}}";
    private final DenoToolchain deno;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public FunctionSmoke(DenoToolchain deno) {
        this.deno = deno;
    }

    public static String check(String name) {
        return "smoke: " + name;
    }

    /** {@code status}: the one expected, or {@link #SUCCESS} for any 2xx. */
    private record Probe(String what, HttpRequest.Builder request, int status, String bodyHas, String header) {
    }

    private static final int SUCCESS = 0;

    public Evidence run(Map<String, String> files, String name) {
        String check = check(name);
        if (deno.missing().isPresent()) {
            return Evidence.notRun(check, deno.missing().get());
        }
        String entry = "supabase/functions/" + name + "/index.ts";
        String code = files.get(entry);
        if (code == null) {
            return Evidence.notRun(check, entry + " is not in the bundle");
        }
        long started = System.nanoTime();
        Path work = null;
        Process process = null;
        try {
            work = DenoCheck.materialise(files);
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            List<Probe> probes = probes(code, uri);
            if (probes.isEmpty()) {
                return Evidence.notRun(check, "not a function kind this role writes (no signature, scheduler secret"
                        + " or user client found in " + entry + ")");
            }
            Path log = work.resolve("serve.log");
            Map<String, String> dummy = dummyEnv(files);
            Set<String> readable = new TreeSet<>(dummy.keySet());
            readable.addAll(optionalEnv(files));
            List<String> cmd = new ArrayList<>(List.of(deno.deno().toString(), "run", "--config", DenoCheck.CONFIG,
                    "--frozen", "--cached-only", "--allow-net=127.0.0.1:" + port + "," + SUPABASE_HOST,
                    "--allow-env=" + String.join(",", readable), entry));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // bundle code runs here: it sees none of the service's environment (its secrets) and may reach only its
            // own port and the closed dummy Supabase one, not the sandbox Postgres or anything else on loopback
            Map<String, String> env = pb.environment();
            String path = env.getOrDefault("PATH", "/usr/bin:/bin");
            env.clear();
            env.put("PATH", path);
            env.put("HOME", work.toString());
            env.put("DENO_DIR", deno.denoDir().toString());
            env.put("NO_COLOR", "1");
            env.put("DENO_NO_UPDATE_CHECK", "1");
            env.put("DENO_SERVE_ADDRESS", "tcp:127.0.0.1:" + port);
            env.putAll(dummy);
            if (readable.contains("ALLOWED_ORIGIN")) {
                env.put("ALLOWED_ORIGIN", PREFLIGHT_ORIGIN);
            }
            try {
                process = pb.start();
            } catch (IOException e) {
                return Evidence.notRun(check, "could not start deno: " + e.getMessage());
            }
            if (!listening(process, log)) {
                return new Evidence(check, false, "the function did not start listening:\n"
                        + tail(log), millis(started));
            }
            List<String> passed = new ArrayList<>();
            for (Probe p : probes) {
                HttpResponse<String> r;
                try {
                    r = http.send(p.request().timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    // the function runs: a timeout, a reset or its crash is its failure, not a check that did not run
                    return new Evidence(check, false, p.what() + ": no answer (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")" + (process.isAlive() ? ""
                            : "; the function exited " + process.exitValue()) + ":\n" + tail(log)
                            + (passed.isEmpty() ? "" : "\n(passed before: " + String.join("; ", passed) + ")"),
                            millis(started));
                }
                boolean statusOk = p.status() == SUCCESS ? r.statusCode() / 100 == 2 : r.statusCode() == p.status();
                boolean bodyOk = p.bodyHas() == null || r.body().contains(p.bodyHas());
                boolean headerOk = p.header() == null || r.headers().firstValue(p.header()).isPresent();
                if (!statusOk || !bodyOk || !headerOk) {
                    return new Evidence(check, false, p.what() + ": expected " + (p.status() == SUCCESS ? "2xx"
                            : String.valueOf(p.status())) + (p.bodyHas() == null ? "" : " with "
                            + p.bodyHas()) + (p.header() == null ? "" : " and " + p.header()) + ", got "
                            + r.statusCode() + " " + r.body().strip() + (passed.isEmpty() ? ""
                            : " (passed before: " + String.join("; ", passed) + ")"), millis(started));
                }
                passed.add(p.what() + " → " + r.statusCode());
            }
            return new Evidence(check, true, "served with deno run on 127.0.0.1:" + port + " (dummy environment): "
                    + String.join("; ", passed) + ". Not covered: anything that needs Supabase or the provider"
                    + " (no database, auth or email API runs here)", millis(started));
        } catch (IOException e) {
            if (process != null) {
                return new Evidence(check, false, "the smoke run broke off after deno started: " + e.getMessage(),
                        millis(started));
            }
            return Evidence.notRun(check, "could not prepare the function to serve: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Evidence.notRun(check, "interrupted");
        } finally {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            TypeScriptCheck.delete(work);
        }
    }

    private List<Probe> probes(String code, URI uri) {
        List<Probe> probes = new ArrayList<>();
        Matcher v = VERIFY.matcher(code);
        if (v.find()) {
            String header = v.group(2);
            long t = now();
            String bad = v.group(1).equals("verifyStripe") ? "t=" + t + ",v1=" + "0".repeat(64)
                    : "sha256=" + "0".repeat(64);
            probes.add(new Probe("bad signature", post(uri, "{}").header(header, bad), 401, "invalid_signature", null));
            probes.add(new Probe("no signature header", post(uri, "{}"), 401, "invalid_signature", null));
            String signedOther = "{\"id\":\"another body\"}";
            probes.add(new Probe("a valid signature of another body", post(uri, "{}").header(header,
                    v.group(1).equals("verifyStripe") ? "t=" + t + ",v1=" + hmac(t + "." + signedOther)
                            : "sha256=" + hmac(signedOther)), 401, "invalid_signature", null));
            if (v.group(1).equals("verifyGithub")) {
                probes.add(new Probe("the MAC without GitHub's sha256= prefix", post(uri, "{}").header(header,
                        hmac("{}")), 401, "invalid_signature", null));
            }
            String body = "[1]";
            String mac = hmac(v.group(1).equals("verifyStripe") ? t + "." + body : body);
            String good = v.group(1).equals("verifyStripe") ? "t=" + t + ",v1=" + mac : "sha256=" + mac;
            probes.add(new Probe("good signature, body of the wrong shape", post(uri, body).header(header, good), 400,
                    "invalid_body", null));
            boolean stripe = v.group(1).equals("verifyStripe");
            if (stripe) {
                long stale = t - 3600;
                probes.add(new Probe("good signature an hour old (a replay)", post(uri, "{}").header(header,
                        "t=" + stale + ",v1=" + hmac(stale + ".{}")), 401, "invalid_signature", null));
            }
            String event = stripe ? STRIPE_EVENT.replace("{{now}}", String.valueOf(t)) : GITHUB_EVENT;
            String signed = stripe ? "t=" + t + ",v1=" + hmac(t + "." + event) : "sha256=" + hmac(event);
            boolean writes = code.contains("serviceClient()");
            probes.add(new Probe("good signature, a real event " + (writes ? "(reaches the database call: none"
                    + " runs here)" : "(acknowledged)"), post(uri, event).header(header, signed)
                    .header("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958").header("X-GitHub-Event",
                            "issues"), writes ? 500 : 200, writes ? "database_error" : "received", null));
        } else if (code.contains("\"x-cron-secret\"")) {
            probes.add(new Probe("no scheduler secret", post(uri, "{}"), 401, "unauthorized", null));
            String wrong = SECRET.substring(0, SECRET.length() - 1) + (SECRET.endsWith("x") ? "y" : "x");
            probes.add(new Probe("a wrong secret of the same length", post(uri, "{}").header("x-cron-secret", wrong),
                    401, "unauthorized", null));
            probes.add(new Probe("a prefix of the secret", post(uri, "{}").header("x-cron-secret",
                    SECRET.substring(0, SECRET.length() / 2)), 401, "unauthorized", null));
            boolean reads = code.contains("serviceClient()");
            boolean emails = code.contains("sendEmail(");
            probes.add(new Probe("with the scheduler secret " + (reads ? "(reaches the database call: none runs here)"
                    : emails ? "(reaches the email API: not reachable here)" : "(runs)"), post(uri, "{}")
                    .header("x-cron-secret", SECRET), reads ? 500 : emails ? 502 : SUCCESS, reads ? "database_error"
                    : emails ? "upstream_failed" : null, null));
        } else if (code.contains("userClient(req)")) {
            probes.add(new Probe("CORS preflight", HttpRequest.newBuilder(uri)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", PREFLIGHT_ORIGIN)
                    .header("Access-Control-Request-Method", "POST"), 204, null, "access-control-allow-origin"));
            probes.add(new Probe("no Authorization header", post(uri, "{}"), 401, "unauthorized",
                    "access-control-allow-origin"));
        }
        return probes;
    }

    /** Every variable the functions read, with a dummy value; Supabase points at a closed loopback port. */
    static Map<String, String> dummyEnv(Map<String, String> files) {
        Map<String, String> env = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            if (path.endsWith(".ts")) {
                Matcher m = ENV.matcher(content);
                while (m.find()) {
                    env.put(m.group(1), SECRET);
                }
            }
        });
        env.put("SUPABASE_URL", "http://" + SUPABASE_HOST);
        return env;
    }

    /** The variables the code reads with {@code Deno.env.get} (optional ones), besides {@link #dummyEnv}. */
    static Set<String> optionalEnv(Map<String, String> files) {
        Set<String> names = new TreeSet<>();
        files.forEach((path, content) -> {
            if (path.endsWith(".ts")) {
                Matcher m = OPTIONAL_ENV.matcher(content);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        });
        return names;
    }

    private static HttpRequest.Builder post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean listening(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + deno.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Listening on")) {
                return true;
            }
            if (!p.isAlive()) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        return DenoCheck.strip(Files.readString(log)).lines().limit(15).reduce("", (a, b) -> a + b + "\n").strip();
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
