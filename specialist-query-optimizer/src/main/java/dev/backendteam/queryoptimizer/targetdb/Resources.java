package dev.backendteam.queryoptimizer.targetdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The SQL files this package reads a target with, under dev/backendteam/queryoptimizer/. */
final class Resources {

    private Resources() {
    }

    static String sql(String path) {
        try (InputStream in = Resources.class.getResourceAsStream("/dev/backendteam/queryoptimizer/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
