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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves one delivered function with Deno on a free loopback port ({@code --allow-net=127.0.0.1 --allow-env}, dummy
 * environment, no Supabase behind it), sends it the requests its kind must answer a certain way, and always stops it:
 * a webhook rejects a bad signature (401), a stale Stripe timestamp (401) and a well-signed body of the wrong shape
 * (400, typed), and takes a well-signed real event as far as its database call (500 {@code database_error} here, as
 * nothing listens) or acknowledges it (200) when it stores nothing; a scheduled job
 * rejects a call without the scheduler's secret (401) and lets one with it past the check; an HTTP function answers
 * the CORS preflight and refuses a call without a JWT (401). What needs a database or a provider is not covered.
 */
public final class FunctionSmoke {
    private static final Pattern VERIFY = Pattern.compile(
            "await (verifyStripe|verifyGithub|verifyHmac)\\(raw, req\\.headers\\.get\\(\"([^\"]+)\"\\), requireEnv\\(\"([^\"]+)\"\\)\\)");
    private static final Pattern ENV = Pattern.compile("requireEnv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    static final String SECRET = "smoke-test-secret";
    /** A Stripe event as Stripe sends it (trimmed): payment_intent.succeeded. */
    private static final String STRIPE_EVENT = "{\"id\":\"evt_3Smoke\",\"object\":\"event\",\"api_version\":"
            + "\"2025-10-29.clover\",\"created\":{{now}},\"livemode\":false,\"type\":\"payment_intent.succeeded\","
            + "\"data\":{\"object\":{\"id\":\"pi_3Smoke\",\"object\":\"payment_intent\",\"amount\":2000,"
            + "\"currency\":\"usd\",\"status\":\"succeeded\",\"customer\":\"cus_Smoke\","
            + "\"receipt_email\":\"buyer@example.com\"}},\"pending_webhooks\":1,\"request\":{\"id\":null}}";
    /** A GitHub push delivery (trimmed); a generic HMAC sender's body is any JSON object. */
    private static final String GITHUB_EVENT = "{\"ref\":\"refs/heads/main\",\"repository\":{\"id\":1,"
            + "\"full_name\":\"octo-org/octo-repo\"},\"sender\":{\"login\":\"octocat\"}}";
    private final DenoToolchain deno;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public FunctionSmoke(DenoToolchain deno) {
        this.deno = deno;
    }

    public static String check(String name) {
        return "smoke: " + name;
    }

    private record Probe(String what, HttpRequest.Builder request, int status, String bodyHas, String header) {
    }

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
            List<String> cmd = new ArrayList<>(List.of(deno.deno().toString(), "run", "--config", DenoCheck.CONFIG,
                    "--frozen", "--cached-only", "--allow-net=127.0.0.1", "--allow-env", entry));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("DENO_DIR", deno.denoDir().toString());
            env.put("NO_COLOR", "1");
            env.put("DENO_NO_UPDATE_CHECK", "1");
            env.put("DENO_SERVE_ADDRESS", "tcp:127.0.0.1:" + port);
            env.putAll(dummyEnv(files));
            process = pb.start();
            if (!listening(process, log)) {
                return new Evidence(check, false, "the function did not start listening:\n"
                        + tail(log), millis(started));
            }
            List<String> passed = new ArrayList<>();
            for (Probe p : probes) {
                HttpResponse<String> r = http.send(p.request().timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                boolean statusOk = p.status() < 0 ? r.statusCode() != -p.status() : r.statusCode() == p.status();
                boolean bodyOk = p.bodyHas() == null || r.body().contains(p.bodyHas());
                boolean headerOk = p.header() == null || r.headers().firstValue(p.header()).isPresent();
                if (!statusOk || !bodyOk || !headerOk) {
                    return new Evidence(check, false, p.what() + ": expected " + (p.status() < 0 ? "not "
                            + -p.status() : String.valueOf(p.status())) + (p.bodyHas() == null ? "" : " with "
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
            return Evidence.notRun(check, "could not serve the function: " + e.getMessage());
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
                            "push"), writes ? 500 : 200, writes ? "database_error" : "received", null));
        } else if (code.contains("\"x-cron-secret\"")) {
            probes.add(new Probe("no scheduler secret", post(uri, "{}"), 401, "unauthorized", null));
            probes.add(new Probe("with the scheduler secret (past the check)", post(uri, "{}")
                    .header("x-cron-secret", SECRET), -401, null, null));
        } else if (code.contains("userClient(req)")) {
            probes.add(new Probe("CORS preflight", HttpRequest.newBuilder(uri)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://127.0.0.1")
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
        env.put("SUPABASE_URL", "http://127.0.0.1:9");
        return env;
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
