package dev.backendteam.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a packaged Quarkus service in tests: listens on $PORT, answers {@code /q/health/ready} (200, or
 * $READY_STATUS), echoes an environment variable at {@code /env/<NAME>}, and can fail at start ($EXIT_AT_START).
 */
public final class StandInService {
    public static void main(String[] args) throws IOException {
        String exit = System.getenv("EXIT_AT_START");
        if (exit != null) {
            System.err.println("stand-in failing at start as asked");
            System.exit(Integer.parseInt(exit));
        }
        int port = Integer.parseInt(System.getenv("PORT"));
        int readyStatus = Integer.parseInt(System.getenv().getOrDefault("READY_STATUS", "200"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/q/health/ready", exchange -> answer(exchange, readyStatus, "{\"status\":\"UP\"}"));
        server.createContext("/env/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/env/".length());
            String value = System.getenv(name);
            answer(exchange, value == null ? 404 : 200, value == null ? "" : value);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stand-in stopping on SIGTERM");
            server.stop(0);
        }));
        server.start();
        System.out.println("stand-in listening on " + port);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
